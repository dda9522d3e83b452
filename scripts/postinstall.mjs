// `postinstall`: installs the three engines when this is the project being installed (a clone of cors-matrix), and
// only prints how to install them when cors-matrix is being installed as another project's dependency.
import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';

function real(path) {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** npm runs lifecycle scripts in the package's own folder; its local prefix is the project `npm install` ran for. */
function isTopLevel() {
  const here = real(process.cwd());
  const prefix = process.env.npm_config_local_prefix;
  if (prefix) return real(prefix) === here;
  return !here.split(sep).includes('node_modules');
}

if (isTopLevel()) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./install-engines.ts');
} else {
  // stderr: `npx cors-matrix … --json` must print JSON only.
  console.error(
    '[cors-matrix] installed as a dependency, so no engines were installed: run `npx playwright install --with-deps chromium firefox webkit`, or install chromium, firefox-esr, webkit2gtk-driver and xvfb from your distribution.',
  );
}
