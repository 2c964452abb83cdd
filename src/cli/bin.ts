// The `qemu-host` executable (dist/cli.js). Only this runs the command line; main.ts
// builds it. Keeping the top-level await here, out of the modules that lazily loaded
// subcommands share with start-up (see scripts/build.mjs), lets them load while it waits.
import { main } from './main.js';

process.exitCode = await main(process.argv);
