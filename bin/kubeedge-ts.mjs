#!/usr/bin/env node
// The kubeedge-ts developer CLI is TypeScript run through tsx, so it needs no build step.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
