import { Router } from 'express';
import type { SandboxContext } from '../context.ts';
import { notFound, validationError } from '../errors.ts';

/** Deal pipelines only: the sandbox has no tickets. */
export function pipelinesRouter(ctx: SandboxContext): Router {
  const router = Router();

  function checkType(raw: unknown): void {
    if (raw !== 'deals' && raw !== 'deal' && raw !== '0-3') {
      throw validationError(`Unable to infer object type from: ${String(raw)}`);
    }
  }

  router.get('/crm/v3/pipelines/:objectType', (req, res) => {
    checkType(req.params.objectType);
    res.json({ results: ctx.portal.pipelines.filter((p) => !p.archived) });
  });

  router.get('/crm/v3/pipelines/:objectType/:pipelineId', (req, res) => {
    checkType(req.params.objectType);
    const pipeline = ctx.portal.pipelines.find((p) => p.id === req.params.pipelineId);
    if (!pipeline) throw notFound(`Unable to find pipeline ${String(req.params.pipelineId)}`);
    res.json(pipeline);
  });

  router.get('/crm/v3/pipelines/:objectType/:pipelineId/stages', (req, res) => {
    checkType(req.params.objectType);
    const pipeline = ctx.portal.pipelines.find((p) => p.id === req.params.pipelineId);
    if (!pipeline) throw notFound(`Unable to find pipeline ${String(req.params.pipelineId)}`);
    res.json({ results: pipeline.stages });
  });

  return router;
}
