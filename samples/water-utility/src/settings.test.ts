import { DEFAULT_CONTROL } from "./control.js";
import { settingsFromEnv } from "./settings.js";

describe("water utility app settings", () => {
  it("defaults to the agent's broker and the sample's devices", () => {
    const s = settingsFromEnv({});
    expect(s.mqttUrl).toBe("mqtt://127.0.0.1:1884");
    expect(s.devices).toEqual({
      level: "reservoir-level",
      pressure: "line-pressure",
      valve: "outlet-valve",
    });
    expect(s.control).toEqual(DEFAULT_CONTROL);
  });

  it("takes the target level and credentials from the environment", () => {
    const s = settingsFromEnv({
      TARGET_LEVEL_M: "3.5",
      MQTT_URL: "tcp://127.0.0.1:1999",
      MQTT_USERNAME: "app",
      MQTT_PASSWORD: "pw",
    });
    expect(s.mqttUrl).toBe("mqtt://127.0.0.1:1999");
    expect(s.control.targetLevelM).toBe(3.5);
    expect([s.username, s.password]).toEqual(["app", "pw"]);
  });

  it("refuses a setting that is not a number", () => {
    expect(() => settingsFromEnv({ CONTROL_INTERVAL_MS: "soon" })).toThrow(
      'CONTROL_INTERVAL_MS must be a number, got "soon"',
    );
  });
});
