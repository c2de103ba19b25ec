export { isLocalMediaRef, localMediaOf, withMediaId, msgIdentity, MEDIA_TYPES, type LocalMediaRef, type MediaType } from './refs.js';
export { sniffFormat, audioDurationSec, type MediaFormat } from './sniff.js';
export { checkMediaFile, MEDIA_LIMITS, FILE_MESSAGE_SOFT_LIMIT, type MediaProblem } from './check.js';
export type { MediaFile, MediaFiles } from './file.js';
export { planMedia, uploadsNeeded, mediaKey, mediaIdsOf, type PlannedMedia } from './plan.js';
