/**
 * @module cli/bin
 * Entry point of the bundled `weir-ts` command.
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
