// Runs under Deno on the built ESM files: the portable core must not need Node.
import * as root from '../../dist/index.js';
import { check } from './check.mjs';

console.log(check(root, 'deno (dist/index.js)'));
