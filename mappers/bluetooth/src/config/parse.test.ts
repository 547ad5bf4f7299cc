import { parseActions, parseNames, parseSchedules, parseWatcher } from "./parse.js";

describe("parseActions", () => {
  it("reads the manual's action-manager/create payload", () => {
    const payload = [
      {
        name: "IRTemperatureConfiguration",
        "perform-immediately": true,
        "device-property-name": "temperature-enable",
      },
      {
        name: "IRTemperatureData",
        "perform-immediately": true,
        "device-property-name": "temperature",
      },
    ];
    expect(parseActions(payload)).toEqual({
      ok: true,
      value: [
        {
          name: "IRTemperatureConfiguration",
          performImmediately: true,
          propertyName: "temperature-enable",
        },
        { name: "IRTemperatureData", performImmediately: true, propertyName: "temperature" },
      ],
    });
  });
  it("defaults perform-immediately to false", () => {
    const got = parseActions([{ name: "a", "device-property-name": "p" }]);
    expect(got.ok && got.value[0].performImmediately).toBe(false);
  });
  const bad: { name: string; input: unknown; error: string }[] = [
    { name: "not an array", input: { name: "a" }, error: "expected a JSON array of actions" },
    { name: "item not an object", input: ["a"], error: "[0]: must be an object" },
    {
      name: "missing name",
      input: [{ "device-property-name": "p" }],
      error: "[0].name: must be a non-empty string",
    },
    {
      name: "missing property",
      input: [{ name: "a" }],
      error: "[0].device-property-name: must name a property of the device model",
    },
    {
      name: "non-boolean perform-immediately",
      input: [{ name: "a", "device-property-name": "p", "perform-immediately": "yes" }],
      error: "[0].perform-immediately: must be true or false",
    },
    {
      name: "a misspelt key",
      input: [{ name: "a", "device-property-name": "p", perform_immediately: true }],
      error:
        '[0]: unknown field "perform_immediately" (allowed: name, perform-immediately, device-property-name)',
    },
    {
      name: "duplicate names",
      input: [
        { name: "a", "device-property-name": "p" },
        { name: "A", "device-property-name": "q" },
      ],
      error: 'action "A" appears more than once',
    },
  ];
  it.each(bad)("refuses $name", ({ input, error }) => {
    const got = parseActions(input);
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.errors).toContain(error);
  });
});

describe("parseSchedules", () => {
  it("reads the manual's scheduler/create payload", () => {
    const payload = [
      {
        name: "temperature",
        interval: 3000,
        "occurrence-limit": 25,
        actions: ["IRTemperatureConfiguration", "IRTemperatureData"],
      },
    ];
    expect(parseSchedules(payload)).toEqual({
      ok: true,
      value: [
        {
          name: "temperature",
          interval: 3000,
          occurrenceLimit: 25,
          actions: ["IRTemperatureConfiguration", "IRTemperatureData"],
        },
      ],
    });
  });
  it("runs forever and every 5 s when limit and interval are left out", () => {
    const got = parseSchedules([{ name: "s", actions: ["a"] }]);
    expect(got).toEqual({
      ok: true,
      value: [{ name: "s", interval: 5000, occurrenceLimit: 0, actions: ["a"] }],
    });
  });
  const bad: { name: string; input: unknown; error: string }[] = [
    {
      name: "negative interval",
      input: [{ name: "s", interval: -1, actions: ["a"] }],
      error: "[0].interval: must be a non-negative integer",
    },
    {
      name: "fractional limit",
      input: [{ name: "s", "occurrence-limit": 1.5, actions: ["a"] }],
      error: "[0].occurrence-limit: must be a non-negative integer",
    },
    {
      name: "actions not a list",
      input: [{ name: "s", actions: "a" }],
      error: "[0].actions: must be a list of action names",
    },
    {
      name: "missing actions",
      input: [{ name: "s" }],
      error: "[0].actions: must be a list of action names",
    },
  ];
  it.each(bad)("refuses $name", ({ input, error }) => {
    const got = parseSchedules(input);
    expect(got.ok ? [] : got.errors).toContain(error);
  });
});

describe("parseWatcher", () => {
  it("reads the manual's watcher/create payload", () => {
    const payload = {
      "device-twin-attributes": [
        {
          "device-property-name": "IOControl",
          actions: ["IOConfigurationInitialize", "IODataInitialize", "IOConfiguration", "IOData"],
        },
      ],
    };
    expect(parseWatcher(payload)).toEqual({
      ok: true,
      value: {
        attributes: [
          {
            propertyName: "IOControl",
            actions: ["IOConfigurationInitialize", "IODataInitialize", "IOConfiguration", "IOData"],
          },
        ],
      },
    });
  });
  it("accepts an empty watcher", () => {
    expect(parseWatcher({})).toEqual({ ok: true, value: { attributes: [] } });
  });
  const bad: { name: string; input: unknown; error: string }[] = [
    { name: "an array", input: [], error: 'expected {"device-twin-attributes": [...]}' },
    {
      name: "missing property name",
      input: { "device-twin-attributes": [{ actions: ["a"] }] },
      error: "device-twin-attributes[0].device-property-name: must name a twin property",
    },
    {
      name: "a duplicate attribute",
      input: {
        "device-twin-attributes": [
          { "device-property-name": "p", actions: [] },
          { "device-property-name": "p", actions: [] },
        ],
      },
      error: 'device-property-name "p" appears more than once',
    },
  ];
  it.each(bad)("refuses $name", ({ input, error }) => {
    const got = parseWatcher(input);
    expect(got.ok ? [] : got.errors).toContain(error);
  });
});

describe("parseNames", () => {
  it("reads the manual's delete payload", () => {
    expect(
      parseNames(
        [{ name: "IRTemperatureConfiguration" }, { name: "IRTemperatureData" }],
        "actions",
      ),
    ).toEqual({
      ok: true,
      value: ["IRTemperatureConfiguration", "IRTemperatureData"],
    });
  });
  it("refuses bare strings", () => {
    const got = parseNames(["a"], "actions");
    expect(got.ok ? [] : got.errors).toEqual(["[0]: must be an object"]);
  });
});
