/**
 * The inbox's own stylesheet, inside its shadow root so the site's CSS cannot reach it. Sites theme
 * it with custom properties, which do cross the boundary: `--waymark-accent`, `--waymark-bell-color`,
 * `--waymark-badge`.
 */
export const inboxStyles = `
:host { all: initial; display: inline-block; position: relative; vertical-align: middle; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #111827; }
*, *::before, *::after { box-sizing: border-box; }
button { font: inherit; }
.bell { position: relative; display: inline-flex; align-items: center; justify-content: center; width: 40px; height: 40px; padding: 0; border: 0; border-radius: 999px; background: transparent; color: var(--waymark-bell-color, #1f2937); cursor: pointer; }
.bell:hover, .bell[aria-expanded="true"] { background: rgba(17, 24, 39, 0.08); }
.bell svg { width: 22px; height: 22px; }
.badge { position: absolute; top: 1px; right: 0; min-width: 20px; height: 20px; padding: 0 5px; border: 2px solid #fff; border-radius: 10px; background: var(--waymark-badge, #dc2626); color: #fff; font-size: 11px; font-weight: 700; line-height: 16px; text-align: center; }
:focus-visible { outline: 2px solid var(--waymark-accent, #4338ca); outline-offset: 2px; }
.panel { position: fixed; z-index: 2147483000; display: flex; flex-direction: column; width: 360px; background: #fff; color: #111827; border: 1px solid #e5e7eb; border-radius: 12px; box-shadow: 0 12px 32px rgba(17, 24, 39, 0.18); overflow: hidden; text-align: left; }
.panel:focus { outline: none; }
.panel:focus-visible { outline: 2px solid var(--waymark-accent, #4338ca); }
[hidden] { display: none !important; }
.head { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; padding: 12px 16px; border-bottom: 1px solid #e5e7eb; }
.heading { font-size: 16px; font-weight: 600; }
.count { font-size: 12px; color: #4b5563; }
.list { list-style: none; margin: 0; padding: 0; overflow-y: auto; overscroll-behavior: contain; }
.item { display: flex; gap: 8px; align-items: flex-start; padding: 12px 8px 12px 16px; border-bottom: 1px solid #f3f4f6; }
.item:last-child { border-bottom: 0; }
.item.new { background: #f5f5ff; }
.text { flex: 1; min-width: 0; }
.title { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.new .title::before { content: ""; display: inline-block; width: 8px; height: 8px; margin: 0 8px 2px 0; border-radius: 50%; background: var(--waymark-accent, #4338ca); }
.body { margin: 4px 0 0; color: #374151; overflow-wrap: anywhere; white-space: pre-line; }
.meta { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; margin-top: 8px; }
.cta { display: inline-block; padding: 4px 12px; border-radius: 6px; background: var(--waymark-accent, #4338ca); color: #fff; font-weight: 600; text-decoration: none; }
.cta:hover { filter: brightness(1.1); }
time { font-size: 12px; color: #6b7280; }
.dismiss { flex: none; display: inline-flex; align-items: center; justify-content: center; width: 32px; height: 32px; margin-top: -4px; padding: 0; border: 0; border-radius: 6px; background: transparent; color: #6b7280; cursor: pointer; }
.dismiss:hover { background: #f3f4f6; color: #111827; }
.dismiss svg { width: 16px; height: 16px; }
.note { margin: 0; padding: 24px 16px; color: #4b5563; text-align: center; }
`;
