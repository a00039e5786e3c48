import { execFileSync } from 'child_process';
import * as path from 'path';

// Runs once before the suite: the CLI tests run the built command (lib/cli/main.js) as a user
// would, so compile src/ to lib/ first, with the package's own build script.
export default function globalSetup(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: path.join(__dirname, '..'), stdio: 'inherit' });
}
