#!/usr/bin/env node
// The `hfit` executable: oclif finds the commands in ../dist/commands (run `npx tsc -b apps/cli` first).
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
