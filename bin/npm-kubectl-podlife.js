#!/usr/bin/env node
// `kubectl-podlife` of the npm package: see npm-launch.js.
import { launch } from './npm-launch.js';

await launch(process.argv.slice(2));
