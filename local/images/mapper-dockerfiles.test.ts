/**
 * The mappers' Dockerfiles and the umoci images `kubeedge-ts images build` makes must describe
 * the same image: same entrypoint, user, working directory, environment and ports, and the
 * same /app content (both run write-app.ts for the same mapper).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bluetoothMapperOptions, modbusMapperOptions } from "./mapper-images.js";
import { APP_DIR, type NodeAppImageOptions, nodeAppConfig } from "./node-app-image.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

interface DockerfileFacts {
  env: Record<string, string>;
  workingDir?: string;
  user?: string;
  exposedPorts: string[];
  entrypoint?: string[];
  runs: string[];
}

const emptyStage = (): Omit<DockerfileFacts, "runs"> => ({ env: {}, exposedPorts: [] });

/** The runtime facts of a Dockerfile's final stage (after the last FROM), and every RUN. */
function dockerfileFacts(text: string): DockerfileFacts {
  const lines = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map(l => l.trim())
    .filter(l => l !== "" && !l.startsWith("#"));
  let stage = emptyStage();
  const runs: string[] = [];
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    switch (instruction!.toUpperCase()) {
      case "FROM":
        stage = emptyStage();
        break;
      case "ENV":
        for (const m of args.matchAll(/(\w+)=(\S+)/g)) stage.env[m[1]!] = m[2]!;
        break;
      case "WORKDIR":
        stage.workingDir = args;
        break;
      case "USER":
        stage.user = args;
        break;
      case "EXPOSE":
        stage.exposedPorts.push(...rest.map(p => (p.includes("/") ? p : `${p}/tcp`)));
        break;
      case "ENTRYPOINT":
        stage.entrypoint = JSON.parse(args) as string[];
        break;
      case "RUN":
        runs.push(args);
        break;
    }
  }
  return { ...stage, runs };
}

const cases: [string, NodeAppImageOptions][] = [
  ["modbus", modbusMapperOptions()],
  ["bluetooth", bluetoothMapperOptions()],
];

describe.each(cases)("the %s mapper's Dockerfile", (mapper, options) => {
  const text = readFileSync(join(root, `mappers/${mapper}/Dockerfile`), "utf8");
  const facts = dockerfileFacts(text);
  const config = nodeAppConfig(options);

  it("has the umoci image's entrypoint, user, working directory and ports", () => {
    expect(facts.entrypoint).toEqual(config.entrypoint);
    expect(facts.user).toBe(config.user);
    expect(facts.workingDir).toBe(config.workingDir);
    expect(facts.exposedPorts).toEqual(config.exposedPorts);
  });

  it("sets the same environment (PATH comes from the node base image)", () => {
    const { PATH: _path, ...env } = config.env ?? {};
    expect(facts.env).toEqual(env);
  });

  it("fills /app with write-app.ts for the same mapper, and copies it to /app", () => {
    expect(facts.runs).toContain(`npx tsx local/images/write-app.ts ${mapper} /out/app`);
    expect(text).toContain(`COPY --from=build /out/app ${APP_DIR}\n`);
  });
});

describe("dockerfileFacts", () => {
  it("reads only the final stage, with continued ENV lines", () => {
    const facts = dockerfileFacts(
      [
        "FROM a AS b",
        "ENV X=1",
        "USER root",
        "RUN make",
        "FROM c",
        "ENV A=1 \\",
        "    B=two",
        "USER node",
        "EXPOSE 80 53/udp",
        'ENTRYPOINT ["node", "/app/x.mjs"]',
      ].join("\n"),
    );
    expect(facts).toMatchObject({
      env: { A: "1", B: "two" },
      user: "node",
      exposedPorts: ["80/tcp", "53/udp"],
      entrypoint: ["node", "/app/x.mjs"],
      runs: ["make"],
    });
  });
});
