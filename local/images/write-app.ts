/**
 * `tsx local/images/write-app.ts <modbus|bluetooth> <dir>`: writes a mapper image's /app folder
 * (bundle and native packages) into <dir>. The mappers' Dockerfiles run it, so a Docker build
 * ships the very files `kubeedge-ts images build` puts in its umoci image.
 */
import { bluetoothMapperOptions, modbusMapperOptions } from "./mapper-images.js";
import { prepareApp, writeApp } from "./node-app-image.js";

const apps = { modbus: modbusMapperOptions, bluetooth: bluetoothMapperOptions };
const [which, dir] = process.argv.slice(2);
const options = apps[which as keyof typeof apps];
if (!options || !dir) {
  process.stderr.write(`usage: write-app.ts <${Object.keys(apps).join("|")}> <dir>\n`);
  process.exit(2);
}
const opts = options();
writeApp(await prepareApp(opts), opts.bundleFile, dir);
