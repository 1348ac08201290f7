/**
 * The trace: the typed events every party emits (`trace.ts`), and their one presentation: the
 * printer with its lesson, the wire view and JSON lines, the Mermaid diagram, the eras lesson.
 * A server depends on it only for `Emit`; the demo and the CLIs for the printer.
 */
export * from './trace.ts';
export * from './trace-output.ts';
export * from './trace-printer.ts';
export * from './trace-writer.ts';
export * from './terminal-safe.ts';
export * from './trace-diagram.ts';
export * from './trace-teaching.ts';
export * from './eras-lesson.ts';
export { buildPicture } from './picture-model.ts';
export { formatHtmlPage, renderPicturePage } from './picture-page.ts';
// The pieces the live page of `pnpm serve` (packages/stack live-page/) composes per client.
export { escapeHtml } from './picture-escape.ts';
export { arrowDetails } from './picture-details.ts';
export { laneHeaderSvg, sectionSvg } from './picture-svg.ts';
export { PICTURE_CSS } from './picture-style.ts';
export { BASE_LANES, LANE_NAMES, type Arrow, type Decision, type Exchange, type Lane, type Note, type PictureModel, type Section } from './picture-types.ts';
