// Zod (bundled through @marsad/core's questionnaire model) probes whether it may compile code
// with `Function('')`; under Marsad's Content-Security-Policy (no unsafe-eval) that probe is
// refused and logged as a console error. Jitless mode skips the probe. Imported first in main.tsx
// so that it runs before any module parses with Zod.
import { config } from 'zod';

config({ jitless: true });
