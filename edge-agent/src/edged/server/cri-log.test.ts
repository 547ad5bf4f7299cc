import { describe, expect, it } from "vitest";
import { parseCriLogLine, renderCriLog } from "./cri-log.js";

const LOG = [
  "2026-11-30T21:00:00.000000001Z stdout F hello",
  "2026-11-30T21:00:01.000000001Z stderr P par",
  "2026-11-30T21:00:01.500000001Z stderr F tial",
  "2026-11-30T21:00:02.000000001Z stdout F ",
  "2026-11-30T21:00:03.000000001Z stdout F last",
  "",
].join("\n");

describe("CRI log format", () => {
  it("parses one entry", () => {
    expect(parseCriLogLine("2026-11-30T21:00:00Z stderr P abc def")).toEqual({
      timestamp: "2026-11-30T21:00:00Z",
      stream: "stderr",
      partial: true,
      content: "abc def",
    });
    expect(parseCriLogLine("garbage")).toBeUndefined();
  });

  it.each([
    [{ timestamps: false }, ["hello\n", "partial\n", "\n", "last\n"]],
    [{ timestamps: false, tailLines: 2 }, ["\n", "last\n"]],
    [{ timestamps: false, tailLines: 0 }, []],
    [
      { timestamps: true, tailLines: 2 },
      ["2026-11-30T21:00:02.000000001Z \n", "2026-11-30T21:00:03.000000001Z last\n"],
    ],
    [
      { timestamps: true, tailLines: 3 },
      [
        "2026-11-30T21:00:01.000000001Z partial\n",
        "2026-11-30T21:00:02.000000001Z \n",
        "2026-11-30T21:00:03.000000001Z last\n",
      ],
    ],
  ])("renders with %j as kubectl logs prints it", (opts, lines) => {
    expect(renderCriLog(LOG, opts).lines).toEqual(lines);
  });

  it("keeps an unfinished partial line for the next chunk", () => {
    const first = renderCriLog("2026-11-30T21:00:00Z stdout P abc\n", { timestamps: false });
    expect(first).toMatchObject({ lines: [], pending: "abc" });
    expect(
      renderCriLog("2026-11-30T21:00:01Z stdout F def\n", { timestamps: false }, first.pending)
        .lines,
    ).toEqual(["abcdef\n"]);
  });
});
