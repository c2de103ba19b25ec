export { localMediaOf, withMediaId, msgIdentity, MEDIA_TYPES, type MediaType } from './refs.js';
export { sniffFormat, audioDurationSec, type MediaFormat } from './sniff.js';
export { checkMediaFile, type MediaProblem } from './check.js';
export type { MediaFile } from './file.js';
export { planMedia, uploadsNeeded, mediaKey, mediaIdsOf } from './plan.js';
