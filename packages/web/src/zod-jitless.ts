// Zod (bundled through @marsad/core's questionnaire model, in the review pages only) probes whether it may compile code
// with `Function('')`; under Marsad's Content-Security-Policy (no unsafe-eval) that probe is
// refused and logged as a console error. Jitless mode skips the probe. Imported first by the pages
// that use the model (and by entry-server.tsx), so that it runs before any module parses with Zod.
import { config } from 'zod';

config({ jitless: true });
