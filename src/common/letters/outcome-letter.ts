import PDFDocument from 'pdfkit';
import { DRAFT_MARK, type LetterContent } from './letter-content';
import type { KeyImage } from './key-image';

/**
 * Lays the letter out as a PDF with pdfkit, on the workstation and on the hub alike. The key image
 * (key-image.ts, drawn by the caller from its own copies) is embedded as JPEG bytes.
 */
export function renderLetterPdf(
  content: LetterContent,
  keyImage: KeyImage | null,
  /**
   * The PDF's creation date (and so its file ID, which pdfkit derives from it). Given, the same
   * content renders to the same bytes, so the hub can re-render an issued letter byte for byte.
   * Unset: now.
   */
  createdAt?: Date,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 56,
      info: {
        Title: `${content.title}: ${content.patientLine}`,
        Author: content.signature[0] ?? 'DermDesk',
        ...(createdAt ? { CreationDate: createdAt } : {}),
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    if (content.draft) {
      // Large, red and on every page: a printed or saved preview can never pass for the letter.
      const mark = (): void => {
        const { x, y } = { x: doc.x, y: doc.y };
        doc.save().font('Helvetica-Bold').fontSize(16).fillColor('#b3261e');
        doc.text(DRAFT_MARK, 56, 24, { width: doc.page.width - 112, align: 'center', lineBreak: false });
        doc.restore().fillColor('black');
        doc.x = x;
        doc.y = y;
      };
      mark();
      doc.on('pageAdded', mark);
    }
    // Letterhead on the right, as NHS letters are laid out; the recipient below it on the left.
    const right = { width: doc.page.width - 112, align: 'right' as const };
    const [service, ...contact] = content.letterhead;
    if (service) doc.font('Helvetica-Bold').fontSize(12).text(service, right);
    doc.font('Helvetica').fontSize(9);
    for (const line of contact) doc.text(line, right);
    doc.moveDown();
    doc.fontSize(10);
    for (const line of content.to) doc.text(line);
    doc.moveDown(0.5);
    doc.text(content.date);
    for (const line of content.references) doc.text(line);
    doc.moveDown();
    doc.text(content.salutation);
    doc.moveDown(0.5);
    doc.font('Helvetica-Bold').fontSize(14).text(content.title);
    doc.font('Helvetica-Bold').fontSize(11);
    for (const line of content.patient) doc.text(line);
    doc.moveDown(0.5);
    for (const section of content.sections) {
      doc.font('Helvetica-Bold').fontSize(11).text(section.heading);
      doc.font('Helvetica').fontSize(10);
      for (const line of section.lines) doc.text(line, { paragraphGap: 2 });
      doc.moveDown(0.5);
    }
    if (keyImage) {
      doc.font('Helvetica-Bold').fontSize(11).text('Key image');
      doc.font('Helvetica');
      doc.image(keyImage.jpeg, { fit: [300, 220] });
      doc.font('Helvetica').fontSize(9).text(keyImage.caption);
      doc.moveDown(0.5);
    }
    doc.moveDown();
    doc.font('Helvetica').fontSize(10);
    for (const line of content.signature) doc.text(line);
    doc.end();
  });
}
