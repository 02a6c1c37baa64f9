import { cardObjectTypeSchema } from '@closewise/contract';
import type { CardPreview } from '@closewise/hubspot-app/preview';
import express, { type Router } from 'express';

/**
 * Dev-mode routes for the local card preview: GET /preview/:objectType/:id renders the card page,
 * POST /preview/events routes a click back to the live card. Never mount in production: the page acts
 * with the app's signing key on behalf of whoever opens it. Mount it on the same app as the card router
 * (and before any catch-all 404): without an apiBaseUrl the preview calls the card API on its own origin.
 */
export function createCardPreviewRouter(preview: CardPreview): Router {
  const router = express.Router();
  router.get('/preview/:objectType/:id', async (req, res, next) => {
    const objectType = cardObjectTypeSchema.safeParse(req.params['objectType']);
    const id = String(req.params['id']);
    if (!objectType.success || !/^\d{1,20}$/.test(id)) {
      res.status(400).type('text').send('Use /preview/deals|contacts|companies/<numeric id>.');
      return;
    }
    try {
      res.type('html').send(await preview.renderPage(objectType.data, id, `${req.protocol}://${req.get('host') ?? ''}`));
    } catch (error) {
      next(error);
    }
  });
  router.post('/preview/events', express.json({ limit: '10kb' }), async (req, res, next) => {
    try {
      const result = await preview.handleEvent(req.body);
      res.status(result.status).json(result.body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
