// The terminal UI's layout: the screen is drawn by src/render (one render model for the UI, the text
// printer and the exporters); this module is what the Ink app and its tests use of it.

export { fit, lineText, type Line, type Seg as Span } from '../render/line.ts';
export { initialUi, renderScreen as layout, laneGeometry, shownPod, type UiState } from '../render/screen.ts';
