import { encodeMessage, type PullResponseMessage } from "@synced-store/core/protocol";

/** What `pullResponseFrames` produced. */
export interface PullFrames {
  readonly frames: string[];
  /** How many of them are parts of a snapshot (0 when the response is not one). */
  readonly snapshotParts: number;
}

/**
 * Encodes a pull response for the wire. A snapshot (`min_included_version` 0) is cut into parts
 * of at most `partBytes` of patches each (UTF-8, as `byteLength` counts; a single patch larger
 * than that gets a part of its own), every part but the last marked `more: true` and the
 * receiving client's last mutation ids (and rejections) in the last, so that no frame approaches the frame limit
 * and the client can apply the parts as one step. Other responses go out as one frame.
 *
 * Each patch is serialized once and the frame is assembled from those pieces, exactly as
 * `JSON.stringify` would lay out the message (same key order), so a 15 MB snapshot is not
 * stringified twice.
 */
export function pullResponseFrames(
  message: PullResponseMessage,
  partBytes: number,
  byteLength: (text: string) => number,
): PullFrames {
  if (message.min_included_version !== 0) return { frames: [encodeMessage(message)], snapshotParts: 0 };
  const head = `{"type":"pull_response","min_included_version":0,"max_included_version":${message.max_included_version},"patches":[`;
  const ids = JSON.stringify(message.client_id_to_last_mutation_id);
  const rejections =
    message.rejections === undefined ? "" : `,"rejections":${JSON.stringify(message.rejections)}`;
  const parts: string[][] = [];
  let part: string[] = [];
  let bytes = 0;
  for (const patch of message.patches) {
    const json = JSON.stringify(patch);
    const size = byteLength(json) + 1;
    if (part.length > 0 && bytes + size > partBytes) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
    part.push(json);
    bytes += size;
  }
  parts.push(part);
  const frames = parts.map((patches, i) =>
    i < parts.length - 1
      ? `${head}${patches.join(",")}],"client_id_to_last_mutation_id":{},"more":true}`
      : `${head}${patches.join(",")}],"client_id_to_last_mutation_id":${ids}${rejections}}`,
  );
  return { frames, snapshotParts: frames.length };
}
