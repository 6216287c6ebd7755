import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import {
  chromiumPath,
  INSTALL_HINT,
  isReportPage,
  pdfFileName,
  REPORT_LANGS,
  REPORT_PAGES,
  renderPdf,
} from './pdf-report.ts';
import { pdfReaderFor } from './pdf-safety-assessment.ts';
import { requireReportFonts } from './report-fonts.ts';

const Query = z.object({
  page: z
    .string()
    .max(100)
    .refine(isReportPage, {
      message: `a report page of this site: ${REPORT_PAGES.map((p) => p.pattern.source).join(' or ')}`,
    }),
  lang: z.enum(REPORT_LANGS).default('ar'),
});

/**
 * `GET /api/v1/reports/pdf?page=/programmes/SCP&lang=ar`: a public report page printed to PDF by
 * Chromium from this same server (as the public sees them; a city profile as its signed-in reader: pdf-safety-assessment.ts).
 */
export function registerPdfReportRoutes(app: FastifyInstance, _ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/reports/pdf',
    {
      schema: {
        tags: ['reports'],
        querystring: Query,
        summary:
          'A report page (programme results report, city profile, success indicators) as PDF, made by Chromium on the server in the given language',
        description:
          "Answers 503 with what to install when the server has no Chromium (/usr/bin/chromium or MARSAD_CHROMIUM), or no font for the language's script (Chinese: fonts-noto-cjk). Only the listed page patterns of this site are printed. A city profile asked for by a signed-in reader is printed as that reader (their session or token, for this server's own address only), so that it holds the city's self-assessment when they may read it; every other page is printed as the public sees it.",
      },
    },
    async (req, reply) => {
      if (!chromiumPath()) throw new HttpError(503, 'no_browser', INSTALL_HINT);
      requireReportFonts(req.query.lang);
      const address = app.server.address();
      if (!address || typeof address === 'string')
        throw new HttpError(
          503,
          'not_listening',
          'This server is not listening on a TCP port, so Chromium cannot load its pages.',
        );
      const host =
        address.address === '0.0.0.0' || address.address === '::'
          ? '127.0.0.1'
          : address.family === 'IPv6'
            ? `[${address.address}]`
            : address.address;
      const pdf = await renderPdf(
        `http://${host}:${address.port}`,
        req.query.page,
        req.query.lang,
        pdfReaderFor(req.query.page, req.headers),
      );
      return reply
        .header('Content-Type', 'application/pdf')
        .header('Content-Disposition', `attachment; filename="${pdfFileName(req.query.page, req.query.lang)}"`)
        .header('Cache-Control', 'no-store')
        .send(pdf);
    },
  );
}
