/**
 * The plain pages an admin sees at the end of the Salesforce install: what happened and what to do next.
 * Every value is escaped (Salesforce's error_description comes from the query string).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:.1rem .3rem}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

export interface InstalledPage {
  orgId: string;
  /** False when the first sync could not be queued (it then runs with the next scheduled sync). */
  syncQueued: boolean;
  /** The problem with the Closewise fields in the org, if the check found one. */
  fieldsProblem: string | null;
}

export function installedPage(installed: InstalledPage): string {
  const org = escapeHtml(installed.orgId);
  return page(
    'Closewise is connected to Salesforce',
    `<p>Salesforce org <strong id="org-id">${org}</strong> is connected. Its tokens are stored encrypted.</p>
<p>${
      installed.syncQueued
        ? 'The first sync is queued, then training and scoring: scores are written to your records once they have run.'
        : 'The first sync could not be queued; it runs with the next scheduled sync.'
    }</p>
${installed.fieldsProblem ? `<p role="alert"><strong>Before scores can be written:</strong> ${escapeHtml(installed.fieldsProblem)}</p>` : ''}
<h2>Next step</h2>
<p>Issue the API key the Closewise package uses to call this backend:</p>
<pre><code id="next-step">closewise salesforce issue-key --org ${org}</code></pre>
<p>Paste the key into Salesforce: Setup → Named Credentials → External Credentials → <em>Closewise</em> →
Principals → <em>ApiKey</em>.</p>`,
  );
}

export function installFailedPage(message: string, restartPath: string): string {
  return page(
    'Closewise could not connect Salesforce',
    `<p role="alert" id="error">${escapeHtml(message)}</p>
<p><a href="${escapeHtml(restartPath)}">Start the install again</a></p>`,
  );
}
