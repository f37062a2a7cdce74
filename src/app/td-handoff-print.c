/* td-handoff-print.c — the shift handoff report on paper: PDF (cairo) and printing
 *
 * One renderer draws the blocks with Pango onto whatever cairo context it is
 * given: a cairo PDF surface for the export, GtkPrintContext's for the
 * printer. It first measures every block to break pages (a table row
 * never splits), then draws the page asked for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "td-handoff-print.h"
#include "td-handoff-report.h"

/* A4 in points, with 2 cm margins. */
#define A4_WIDTH  595.0
#define A4_HEIGHT 842.0
#define MARGIN    56.0
#define CELL_GAP  8.0

typedef struct
{
  double y;
  int    page;
  /* A table's column widths (double), shared by its rows; NULL otherwise. */
  GArray *columns;
} Place;

static void
place_clear (gpointer data)
{
  Place *place = data;

  g_clear_pointer (&place->columns, g_array_unref);
}

static const char *
font_for (TdHandoffBlockKind kind)
{
  switch (kind)
    {
      case TD_HANDOFF_BLOCK_TITLE:
        return "Sans Bold 18";
      case TD_HANDOFF_BLOCK_HEADING:
        return "Sans Bold 13";
      case TD_HANDOFF_BLOCK_TABLE_HEAD:
        return "Sans Bold 9";
      case TD_HANDOFF_BLOCK_TABLE_ROW:
        return "Sans 9";
      default:
        return "Sans 10";
    }
}

/* Space above a block, so sections read apart. */
static double
space_before (TdHandoffBlockKind kind)
{
  switch (kind)
    {
      case TD_HANDOFF_BLOCK_HEADING:
        return 16;
      case TD_HANDOFF_BLOCK_TABLE_HEAD:
      case TD_HANDOFF_BLOCK_TEXT:
        return 4;
      default:
        return 2;
    }
}

static PangoLayout *
make_layout (cairo_t *cr, const char *font, const char *text, double width, gboolean markup)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  /* A negative width: one line, for measuring what a cell would like. */
  pango_layout_set_width (layout, width < 0 ? -1 : (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Draws (when @draw) or only measures one block at @y; returns its height. */
/* Column widths for the table whose head is blocks[@head]: each column
 * as wide as its widest cell where they all fit; otherwise the narrow
 * columns keep their width and the wide ones share what is left, so a
 * title wraps rather than a time. */
static GArray *
table_columns (cairo_t *cr, GPtrArray *blocks, guint head, double width)
{
  const TdHandoffBlock *first = g_ptr_array_index (blocks, head);
  guint                 n = g_strv_length (first->cells);
  g_autofree double    *natural = g_new0 (double, n);
  g_autofree gboolean  *done = g_new0 (gboolean, n);
  GArray               *columns = g_array_new (FALSE, TRUE, sizeof (double));
  double                left = width - CELL_GAP * (n > 0 ? n - 1 : 0);
  guint                 n_left = n;

  for (guint i = head; i < blocks->len; i++)
    {
      const TdHandoffBlock *block = g_ptr_array_index (blocks, i);

      if (i > head && block->kind != TD_HANDOFF_BLOCK_TABLE_ROW)
        break;
      for (guint c = 0; c < n && block->cells[c] != NULL; c++)
        {
          g_autoptr (PangoLayout) layout
              = make_layout (cr, font_for (block->kind), block->cells[c], -1, FALSE);
          int w;

          pango_layout_get_pixel_size (layout, &w, NULL);
          natural[c] = MAX (natural[c], w + 1);
        }
    }

  g_array_set_size (columns, n);
  /* Narrowest first: a column that wants less than a fair share gets it. */
  while (n_left > 0)
    {
      guint  narrowest = n;
      double share = left / n_left;

      for (guint c = 0; c < n; c++)
        if (!done[c] && (narrowest == n || natural[c] < natural[narrowest]))
          narrowest = c;
      if (natural[narrowest] > share)
        {
          /* The rest are all wider than a share: split what is left in
           * proportion to what they want. */
          double wanted = 0;

          for (guint c = 0; c < n; c++)
            if (!done[c])
              wanted += natural[c];
          for (guint c = 0; c < n; c++)
            if (!done[c])
              g_array_index (columns, double, c) = left * natural[c] / wanted;
          return columns;
        }
      g_array_index (columns, double, narrowest) = natural[narrowest];
      done[narrowest] = TRUE;
      left -= natural[narrowest];
      n_left--;
    }
  /* Everything fits: the first column (a title, a rota) takes the rest. */
  if (n > 0)
    g_array_index (columns, double, 0) += left;
  return columns;
}

static double
render_block (cairo_t              *cr,
              const TdHandoffBlock *block,
              const GArray         *columns,
              double                x,
              double                y,
              double                width,
              gboolean              draw)
{
  guint  n = g_strv_length (block->cells);
  double height = 0;

  switch (block->kind)
    {
      case TD_HANDOFF_BLOCK_TABLE_HEAD:
      case TD_HANDOFF_BLOCK_TABLE_ROW:
        {
          double cell_x = x;

          for (guint c = 0; c < n; c++)
            {
              double w = columns != NULL && c < columns->len
                             ? g_array_index ((GArray *) columns, double, c)
                             : (width - CELL_GAP * (n - 1)) / n;
              g_autoptr (PangoLayout) layout
                  = make_layout (cr, font_for (block->kind), block->cells[c], w, FALSE);
              int h;

              pango_layout_get_pixel_size (layout, NULL, &h);
              if (draw)
                {
                  cairo_move_to (cr, cell_x, y);
                  pango_cairo_show_layout (cr, layout);
                }
              height = MAX (height, h);
              cell_x += w + CELL_GAP;
            }
          height += 3;
          if (draw && block->kind == TD_HANDOFF_BLOCK_TABLE_HEAD)
            {
              cairo_save (cr);
              cairo_set_line_width (cr, 0.5);
              cairo_move_to (cr, x, y + height - 1);
              cairo_line_to (cr, x + width, y + height - 1);
              cairo_stroke (cr);
              cairo_restore (cr);
            }
          return height + 1;
        }

      case TD_HANDOFF_BLOCK_HEADING:
        {
          g_autoptr (PangoLayout) layout
              = make_layout (cr, font_for (block->kind), block->cells[0], width, FALSE);
          int h;

          pango_layout_get_pixel_size (layout, NULL, &h);
          if (draw)
            {
              cairo_move_to (cr, x, y);
              pango_cairo_show_layout (cr, layout);
            }
          height = h + 2;
          if (n > 1 && block->cells[1][0] != '\0')
            {
              g_autoptr (PangoLayout) note
                  = make_layout (cr, "Sans Italic 9", block->cells[1], width, FALSE);
              pango_layout_get_pixel_size (note, NULL, &h);
              if (draw)
                {
                  cairo_save (cr);
                  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
                  cairo_move_to (cr, x, y + height);
                  pango_cairo_show_layout (cr, note);
                  cairo_restore (cr);
                }
              height += h + 4;
            }
          return height;
        }

      case TD_HANDOFF_BLOCK_FIELD:
        {
          g_autofree char *markup
              = g_markup_printf_escaped ("<b>%s:</b> %s", block->cells[0], block->cells[1]);
          g_autoptr (PangoLayout) layout
              = make_layout (cr, font_for (block->kind), markup, width, TRUE);
          int h;

          pango_layout_get_pixel_size (layout, NULL, &h);
          if (draw)
            {
              cairo_move_to (cr, x, y);
              pango_cairo_show_layout (cr, layout);
            }
          return h + 1;
        }

      case TD_HANDOFF_BLOCK_ITEM:
        {
          g_autoptr (PangoLayout) bullet = make_layout (cr, font_for (block->kind), "•", 12, FALSE);
          g_autoptr (PangoLayout) layout
              = make_layout (cr, font_for (block->kind), block->cells[0], width - 12, FALSE);
          int h;

          pango_layout_get_pixel_size (layout, NULL, &h);
          if (draw)
            {
              cairo_move_to (cr, x, y);
              pango_cairo_show_layout (cr, bullet);
              cairo_move_to (cr, x + 12, y);
              pango_cairo_show_layout (cr, layout);
            }
          return h + 3;
        }

      case TD_HANDOFF_BLOCK_TITLE:
      case TD_HANDOFF_BLOCK_TEXT:
      default:
        {
          g_autoptr (PangoLayout) layout
              = make_layout (cr, font_for (block->kind), block->cells[0], width, FALSE);
          int h;

          pango_layout_get_pixel_size (layout, NULL, &h);
          if (draw)
            {
              cairo_move_to (cr, x, y);
              pango_cairo_show_layout (cr, layout);
            }
          return h + (block->kind == TD_HANDOFF_BLOCK_TITLE ? 10 : 2);
        }
    }
}

/* Where each block goes: page and top, for a page of @width × @height. A
 * heading never ends a page: it moves to the next with what follows. */
static GArray *
paginate (cairo_t *cr, GPtrArray *blocks, double width, double height, int *n_pages)
{
  GArray *places = g_array_sized_new (FALSE, TRUE, sizeof (Place), blocks->len);
  GArray *columns = NULL;
  double  y = 0;
  int     page = 0;

  g_array_set_clear_func (places, place_clear);
  for (guint i = 0; i < blocks->len; i++)
    {
      const TdHandoffBlock *block = g_ptr_array_index (blocks, i);
      double                before = y > 0 ? space_before (block->kind) : 0;
      double                h;
      double                keep;
      Place                 place = { 0 };

      if (block->kind == TD_HANDOFF_BLOCK_TABLE_HEAD)
        {
          g_clear_pointer (&columns, g_array_unref);
          columns = table_columns (cr, blocks, i, width);
        }
      else if (block->kind != TD_HANDOFF_BLOCK_TABLE_ROW)
        g_clear_pointer (&columns, g_array_unref);
      h = render_block (cr, block, columns, 0, 0, width, FALSE);
      keep = h;
      /* A heading keeps its first line of content with it. */
      if (block->kind == TD_HANDOFF_BLOCK_HEADING && i + 1 < blocks->len)
        keep += render_block (cr, g_ptr_array_index (blocks, i + 1), NULL, 0, 0, width, FALSE);
      if (y > 0 && y + before + MIN (keep, height) > height)
        {
          page++;
          y = 0;
          before = 0;
        }
      place.y = y + before;
      place.page = page;
      place.columns = columns != NULL ? g_array_ref (columns) : NULL;
      g_array_append_val (places, place);
      y = place.y + h;
    }
  g_clear_pointer (&columns, g_array_unref);
  *n_pages = page + 1;
  return places;
}

static void
draw_page (cairo_t   *cr,
           GPtrArray *blocks,
           GArray    *places,
           int        page,
           double     x,
           double     top,
           double     width)
{
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < blocks->len; i++)
    {
      const Place *place = &g_array_index (places, Place, i);

      if (place->page == page)
        render_block (cr, g_ptr_array_index (blocks, i), place->columns, x, top + place->y, width,
                      TRUE);
    }
}

gboolean
td_handoff_print_write_pdf (GPtrArray *blocks, const char *path, GError **error)
{
  cairo_surface_t *surface;
  cairo_t         *cr;
  g_autoptr (GArray) places = NULL;
  cairo_status_t status;
  int            n_pages;

  g_return_val_if_fail (blocks != NULL && path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, A4_WIDTH, A4_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _ ("Shift Handoff Report"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Tierdesk");
  cr = cairo_create (surface);
  places = paginate (cr, blocks, A4_WIDTH - 2 * MARGIN, A4_HEIGHT - 2 * MARGIN, &n_pages);
  for (int page = 0; page < n_pages; page++)
    {
      draw_page (cr, blocks, places, page, MARGIN, MARGIN, A4_WIDTH - 2 * MARGIN);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Could not write %s: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* Printing */

typedef struct
{
  GPtrArray *blocks;
  GArray    *places;
} PrintJob;

static void
print_job_free (gpointer data)
{
  PrintJob *job = data;

  g_ptr_array_unref (job->blocks);
  g_clear_pointer (&job->places, g_array_unref);
  g_free (job);
}

static void
on_begin_print (GtkPrintOperation *operation, GtkPrintContext *context, gpointer user_data)
{
  PrintJob *job = user_data;
  int       n_pages;

  g_clear_pointer (&job->places, g_array_unref);
  job->places = paginate (gtk_print_context_get_cairo_context (context), job->blocks,
                          gtk_print_context_get_width (context),
                          gtk_print_context_get_height (context), &n_pages);
  gtk_print_operation_set_n_pages (operation, n_pages);
}

static void
on_draw_page (GtkPrintOperation *operation, GtkPrintContext *context, int page, gpointer user_data)
{
  PrintJob *job = user_data;

  draw_page (gtk_print_context_get_cairo_context (context), job->blocks, job->places, page, 0, 0,
             gtk_print_context_get_width (context));
}

static gboolean
run_operation (GPtrArray              *blocks,
               GtkWindow              *parent,
               GtkPrintOperationAction action,
               GtkPrintSettings       *settings,
               const char             *export_path,
               GError                **error)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  PrintJob          *job = g_new0 (PrintJob, 1);
  gboolean           ok;

  job->blocks = g_ptr_array_ref (blocks);
  gtk_print_operation_set_job_name (operation, _ ("Shift Handoff Report"));
  /* The margins are the page setup's; the text fits within them. */
  gtk_print_operation_set_use_full_page (operation, FALSE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), job);
  g_object_set_data_full (G_OBJECT (operation), "td-print-job", job, print_job_free);
  if (settings != NULL)
    gtk_print_operation_set_print_settings (operation, settings);
  if (export_path != NULL)
    gtk_print_operation_set_export_filename (operation, export_path);
  gtk_print_operation_set_allow_async (operation,
                                       action == GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG);
  ok = gtk_print_operation_run (operation, action, parent, error)
       != GTK_PRINT_OPERATION_RESULT_ERROR;
  /* The window keeps the operation (and so the job) while it runs. */
  if (parent != NULL)
    g_object_set_data_full (G_OBJECT (parent), "td-handoff-print", operation, g_object_unref);
  else
    g_object_unref (operation);
  return ok;
}

gboolean
td_handoff_print_run (GPtrArray        *blocks,
                      GtkWindow        *parent,
                      GtkPrintSettings *settings,
                      GError          **error)
{
  g_return_val_if_fail (blocks != NULL, FALSE);

  return run_operation (blocks, parent, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, settings, NULL,
                        error);
}

gboolean
td_handoff_print_export (GPtrArray *blocks, const char *path, GError **error)
{
  g_return_val_if_fail (blocks != NULL && path != NULL, FALSE);

  return run_operation (blocks, NULL, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, path, error);
}
