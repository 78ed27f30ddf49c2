using System.Text;
using System.Text.Json.Nodes;
using LossLab.Experiments;

namespace LossLab.Notebooks.Formatting;

/// <summary>
/// LossLab <see cref="Claims"/> displayed: an HTML table (claim, expected, observed, verdict) and the machine-readable
/// claims record in the output metadata, <c>{"losslab": {"claims": [{id, paper, claim, expected, observed, values,
/// verdict, scale}]}}</c>, which the site reads from executed notebooks.
/// </summary>
public static class ClaimsFormatter
{
    /// <summary>The claims table.</summary>
    public static string ToHtml(Claims claims)
    {
        var sb = new StringBuilder();
        var (held, failed, notRun) = claims.Totals;
        sb.Append($"<table class=\"losslab-claims\"><caption>Claims at scale <b>{HtmlTable.Escape(claims.Scale)}</b>: {held} held, {failed} failed, {notRun} not run</caption>");
        sb.Append("<thead><tr><th>verdict</th><th>claim</th><th>paper</th><th>expected</th><th>observed</th></tr></thead><tbody>");
        foreach (var r in claims.Records)
        {
            var color = r.Verdict switch { Verdict.Held => "#1a7f37", Verdict.Failed => "#cf222e", _ => "#6e7781" };
            sb.Append($"<tr id=\"claim-{HtmlTable.Escape(r.Id)}\" data-verdict=\"{r.VerdictText}\">");
            sb.Append($"<td style=\"color:{color};font-weight:bold\">{r.VerdictText}</td>");
            sb.Append($"<td>{HtmlTable.Escape(r.Claim)}<br><small><code>{HtmlTable.Escape(r.Id)}</code></small></td>");
            sb.Append($"<td>{HtmlTable.Escape(r.Paper)}</td><td>{HtmlTable.Escape(r.Expected)}</td><td>{HtmlTable.Escape(r.Observed)}</td></tr>");
        }
        sb.Append("</tbody></table>");
        return sb.ToString();
    }

    /// <summary>The output metadata: <c>{"losslab": {"claims": [...]}}</c>.</summary>
    public static JsonObject ToMetadata(Claims claims)
    {
        var list = new JsonArray();
        foreach (var r in claims.Records)
        {
            var values = new JsonObject();
            foreach (var (k, v) in r.Values) values[k] = double.IsFinite(v) ? JsonValue.Create(v) : null;
            list.Add(new JsonObject
            {
                ["id"] = r.Id, ["paper"] = r.Paper, ["claim"] = r.Claim, ["expected"] = r.Expected, ["observed"] = r.Observed,
                ["values"] = values, ["verdict"] = r.VerdictText, ["scale"] = r.Scale,
            });
        }
        return new JsonObject { ["losslab"] = new JsonObject { ["claims"] = list } };
    }
}
