/**
 * Builds the prior models shipped in models/: used by portals with too little closed history for their own.
 * Trained on a synthetic portal (seed 101 — not one of the acceptance seeds 1–3) through the same training
 * path as a real tenant, with every custom field excluded so the prior only relies on features every portal
 * has (standard properties, engagement, deal dynamics, owner history).
 *
 * Run: node models/build-priors.ts   (writes models/<target>.json, models/<target>.onnx, models/MODEL_CARDS.md)
 */
import { writeFile } from 'node:fs/promises';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { champion } from '@closewise/server/scoring/model-store';
import { PRIORS_DIR } from '@closewise/server/scoring/priors';
import { createTestTenant, loadPortalIntoStore } from '@closewise/server/scoring/test-support/load-portal';
import { MODEL_TARGETS, trainTenantModels } from '@closewise/server/scoring/train';
import { openStore } from '@closewise/server/store/open-store';

const PRIOR_SEED = 101;

const portal = generateSyntheticPortal({ seed: PRIOR_SEED });
const store = await openStore({ dataDir: 'memory://' });
const tenantId = 'prior-builder';
const excludedFields = portal.customProperties.map((c) => `custom:${c.name}`);
await createTestTenant(store.db, tenantId, { scoring: { excludedFields } });
await loadPortalIntoStore(store.db, tenantId, portal);
const now = new Date(portal.now);
const report = await trainTenantModels(store.db, tenantId, { now, seed: PRIOR_SEED });
const priorId = `synthetic-seed${PRIOR_SEED}-${portal.now.slice(0, 10)}`;
const cards: string[] = [
  '# Prior models',
  '',
  `Shipped fallbacks for portals below the thin-data minimum (default 40 won + 40 lost deals; 100 contacts with 20 conversions).`,
  `Scores they produce are flagged "prior". Built by \`node models/build-priors.ts\` from the synthetic portal (seed ${PRIOR_SEED},`,
  `${portal.contacts.length} contacts, ${portal.deals.length} deals, now = ${portal.now}) with all custom fields excluded.`,
  'The synthetic portal is made-up data with planted probabilities: the priors encode generic B2B patterns',
  '(engagement, decision makers, several contacts, time in stage), not any real customer. Replace them with priors',
  'trained on pooled real data when such data is available.',
  '',
];
for (const target of MODEL_TARGETS) {
  const model = await champion(store.db, tenantId, target);
  if (!model) throw new Error(`no model trained for ${target}`);
  const line = report.models.find((m) => m.target === target)!;
  const card = { ...model.card, source: 'prior' as const, priorId, trainedOnData: { ...model.card.trainedOnData, portal: portal.name } };
  await writeFile(new URL(`${target}.onnx`, PRIORS_DIR), model.onnx);
  await writeFile(
    new URL(`${target}.json`, PRIORS_DIR),
    `${JSON.stringify({ format: 'closewise.prior-model', target, priorId, trainedAt: portal.now, onnxFile: `${target}.onnx`, featureSpec: model.featureSpec, card }, null, 1)}\n`,
  );
  cards.push(
    `## ${target}`,
    '',
    `- Hold-out (time-based, latest 20% of records): AUC ${line.holdout.auc.toFixed(3)}, ECE ${line.holdout.ece.toFixed(3)}, ${line.holdout.recordIds.length} rows`,
    `- Features (${model.card.features.length}): ${model.card.features.map((f) => f.name).join(', ')}`,
    `- Excluded by the leakage guard: ${line.excludedFeatures.map((e) => `${e.feature} (${e.reason})`).join('; ') || 'none'}`,
    '',
  );
  console.log(`${target}: AUC ${line.holdout.auc.toFixed(3)} ECE ${line.holdout.ece.toFixed(3)}`);
}
await writeFile(new URL('MODEL_CARDS.md', PRIORS_DIR), `${cards.join('\n')}\n`);
await store.close();
