import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI 3.1 generated from the routes' Zod schemas, at /api/openapi.json, with a docs page at /api/docs. */
export async function openapiPlugin(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'OpenKAM API', version: '1', description: 'Key account management for manufacturers selling through dealers. Errors are RFC 9457 problem+json.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'openkam_session' },
          token: { type: 'http', scheme: 'bearer', description: 'Personal API token (okm_…)' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { config: { policy: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
