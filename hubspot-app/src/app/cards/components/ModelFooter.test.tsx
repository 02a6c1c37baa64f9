import { describe, expect, it } from 'vitest';
import { describeModel } from './ModelFooter.tsx';

describe('describeModel', () => {
  it('names the model in words when the backend sends a name, with its hold-out AUC', () => {
    const model = {
      version: 'deal_win_at_creation v3',
      name: 'Win chance at creation, trained on 1,140 of your deals, 12 Nov',
      source: 'portal' as const,
      auc: 0.81,
    };
    expect(describeModel(model)).toBe('Win chance at creation, trained on 1,140 of your deals, 12 Nov (AUC 0.81 on held-out records)');
    expect(describeModel({ ...model, auc: undefined })).toBe('Win chance at creation, trained on 1,140 of your deals, 12 Nov');
    expect(describeModel(model)).not.toContain('deal_win_at_creation');
  });

  it('falls back to the version for a backend that sends no name', () => {
    expect(describeModel({ version: 'deal-v3', source: 'portal', auc: 0.81 })).toBe(
      'Model deal-v3 (trained on this portal, AUC 0.81 on held-out records)',
    );
  });
});
