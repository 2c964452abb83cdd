// The `qemu-host` executable (dist/cli.js). Only this runs the command line; main.ts
// builds it. The build makes this one CommonJS file (see scripts/build.mjs), so there is no
// top-level await: main's promise sets the exit code. Until it does, the code says that
// something went wrong (70, EX_SOFTWARE), so a run that ends without main settling (a
// bug: nothing left to wait for) can never pass for a success.
import { main } from './main.js';

process.exitCode = 70;
void main(process.argv).then((code) => {
  process.exitCode = code;
});
