import { defineConfig } from '../../../lib/index.ts';
import flaskConfig from '../flask/cors-matrix.config.ts';

// The same Flask app and intent as ../flask, run with the CORS(...) lines check-diagnosis.mjs wrote from the fix the
// diagnosis printed for it (fix.py here, not kept in git): pasted, they must close the hole and leave no new cause.
const here = new URL('.', import.meta.url).pathname;
export default defineConfig({ ...flaskConfig, target: { ...flaskConfig.target, command: `env FLASK_CORS_FIX=${here}fix.py /usr/bin/python3 app.py` } });
