/** Styles that approximate HubSpot's card look closely enough to judge layout and wording. */
export const PREVIEW_STYLES = `
:root { font-family: "Lexend Deca", Helvetica, Arial, sans-serif; color: #33475b; background: #f5f8fa; }
body { margin: 0; padding: 24px; }
.preview-banner { max-width: 720px; margin: 0 auto 12px; font-size: 12px; color: #516f90; }
.card { max-width: 720px; margin: 0 auto; background: #fff; border: 1px solid #cbd6e2; border-radius: 4px; padding: 20px; }
.card-title { font-size: 16px; margin: 0 0 12px; }
.flex { display: flex; } .flex.column { flex-direction: column; } .flex.row { flex-direction: row; flex-wrap: wrap; }
.gap-xs { gap: 4px; } .gap-sm { gap: 8px; } .gap-md { gap: 16px; } .gap-lg { gap: 24px; } .gap-flush { gap: 0; }
.align-center { align-items: center; } .align-end { align-items: flex-end; } .justify-between { justify-content: space-between; }
.text { margin: 0; font-size: 14px; line-height: 1.5; } .text.microcopy { font-size: 12px; color: #516f90; } .bold { font-weight: 600; }
h3 { font-size: 14px; margin: 4px 0; }
.statistics { display: flex; gap: 32px; }
.stat-label { font-size: 12px; color: #516f90; text-transform: uppercase; letter-spacing: .02em; }
.stat-number { font-size: 32px; font-weight: 300; }
.trend.up { color: #00a4bd; } .trend.down { color: #f2545b; }
.tag { display: inline-block; border-radius: 3px; padding: 0 8px; font-size: 12px; border: 1px solid #cbd6e2; background: #eaf0f6; }
.tag-error { background: #fde8e9; border-color: #f2545b; } .tag-warning { background: #fef8f0; border-color: #f5c26b; }
.tag-success { background: #e5f8f6; border-color: #00bda5; } .tag-info { background: #e5f5f8; border-color: #7fd1de; }
.alert { border-left: 4px solid #7fd1de; background: #e5f5f8; padding: 8px 12px; font-size: 14px; }
.alert-warning { border-color: #f5c26b; background: #fef8f0; } .alert-danger, .alert-error { border-color: #f2545b; background: #fde8e9; }
.error-state, .empty-state { text-align: center; padding: 16px; }
.tile { border: 1px solid #cbd6e2; border-radius: 4px; padding: 8px 12px; }
.button-row { display: flex; gap: 8px; }
.button { border-radius: 3px; border: 1px solid #ff7a59; padding: 4px 12px; font-size: 13px; cursor: pointer; background: #fff; color: #ff7a59; }
.button.primary { background: #ff7a59; color: #fff; } .button:disabled { opacity: .5; cursor: default; }
.description-list { display: flex; flex-wrap: wrap; gap: 16px; margin: 0; } .dl-item dt { font-size: 12px; color: #516f90; } .dl-item dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { border: 1px solid #dfe3eb; padding: 6px 8px; text-align: left; } th { background: #f5f8fa; }
hr { border: 0; border-top: 1px solid #dfe3eb; width: 100%; }
ul, ol { margin: 0; padding-left: 20px; }
.progress { display: flex; flex-direction: column; gap: 2px; } .progress-head { display: flex; justify-content: space-between; font-size: 12px; }
progress { width: 100%; height: 8px; appearance: none; } progress::-webkit-progress-bar { background: #eaf0f6; border-radius: 4px; }
progress::-webkit-progress-value { background: #00bda5; border-radius: 4px; } .progress-warning progress::-webkit-progress-value { background: #f5c26b; }
.progress-danger progress::-webkit-progress-value { background: #f2545b; }
.spinner { padding: 16px; text-align: center; color: #516f90; }
.toasts { display: flex; flex-direction: column; gap: 4px; margin-bottom: 8px; }
.toast { padding: 6px 10px; border-radius: 3px; font-size: 13px; background: #e5f5f8; } .toast-success { background: #e5f8f6; } .toast-danger { background: #fde8e9; }
`;

/** Routes a click to the live component on the server and swaps in the re-rendered card. */
export const PREVIEW_CLIENT_SCRIPT = `
(() => {
  const root = document.getElementById('card');
  root.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-node]');
    if (!button || button.disabled) return;
    button.disabled = true;
    try {
      const response = await fetch(root.dataset.events, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ session: root.dataset.session, node: Number(button.dataset.node), event: button.dataset.event }),
      });
      const result = await response.json();
      if (result.html !== undefined) root.innerHTML = result.html;
      else root.insertAdjacentHTML('afterbegin', '<div class="toast toast-danger" role="status">' + (result.error || 'Preview error') + '</div>');
    } catch (error) {
      root.insertAdjacentHTML('afterbegin', '<div class="toast toast-danger" role="status">Preview server unreachable.</div>');
      button.disabled = false;
    }
  });
})();
`;
