#!/usr/bin/env node
// `kubectl_complete-podlife` of the npm package (kubectl >= 1.26 runs it to complete `kubectl podlife <TAB>`): see npm-launch.js.
import { launch } from './npm-launch.js';

await launch(['__complete', ...process.argv.slice(2)]);
