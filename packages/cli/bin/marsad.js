#!/usr/bin/env node
// The `marsad` command: loads tsx so Node.js runs the TypeScript sources, then the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
