using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LossLab.Experiments;

namespace LossLab.Notebooks.Formatting;

/// <summary>
/// LossLab <see cref="Claims"/> displayed: an HTML table (verdict, claim, expected, observed, estimate with interval, n,
/// threshold) and the machine-readable claims record (version 2, DESIGN.md) in the output metadata,
/// <c>{"losslab": {"claims": [{id, paper, claim, expected, observed, kind, test | reference…, values, verdict, scale,
/// reason}]}}</c>, which the site reads from executed notebooks.
/// </summary>
public static class ClaimsFormatter
{
    /// <summary>The colour of each verdict's badge.</summary>
    public static string VerdictColor(string verdict) => verdict switch
    {
        "held" => "#1a7f37", "failed" => "#cf222e", "inconclusive" => "#bf8700", _ => "#6e7781",
    };

    /// <summary>The claims table.</summary>
    public static string ToHtml(Claims claims)
    {
        var sb = new StringBuilder();
        var (held, failed, inconclusive, notRun) = claims.Totals;
        sb.Append($"<table class=\"losslab-claims\"><caption>Claims at scale <b>{HtmlTable.Escape(claims.Scale)}</b>: {held} held, {failed} failed, {inconclusive} inconclusive, {notRun} not run</caption>");
        sb.Append("<thead><tr><th>verdict</th><th>claim</th><th>paper</th><th>expected</th><th>observed</th><th>estimate [95 % interval]</th><th>n</th><th>threshold</th></tr></thead><tbody>");
        foreach (var r in claims.Records)
        {
            sb.Append($"<tr id=\"claim-{HtmlTable.Escape(r.Id)}\" data-verdict=\"{r.VerdictText}\">");
            sb.Append($"<td style=\"color:{VerdictColor(r.VerdictText)};font-weight:bold\">{r.VerdictText}</td>");
            sb.Append($"<td>{HtmlTable.Escape(r.Claim)}<br><small><code>{HtmlTable.Escape(r.Id)}</code> · {r.KindText}</small>");
            if (r.Reason is not null) sb.Append($"<br><small><i>{HtmlTable.Escape(r.Reason)}</i></small>");
            sb.Append($"</td><td>{HtmlTable.Escape(r.Paper)}</td><td>{HtmlTable.Escape(r.Expected)}</td><td>{HtmlTable.Escape(r.Observed)}</td>");
            var (estimate, n, threshold) = Numbers(r);
            sb.Append($"<td>{HtmlTable.Escape(estimate)}</td><td>{HtmlTable.Escape(n)}</td><td>{HtmlTable.Escape(threshold)}</td></tr>");
        }
        sb.Append("</tbody></table>");
        return sb.ToString();
    }

    /// <summary>The estimate with its interval, n and threshold of a record, as table cells show them ("—" when absent).</summary>
    public static (string Estimate, string N, string Threshold) Numbers(ClaimRecord r)
    {
        if (r.Test is { } t)
            return ($"{G(t.Estimate)} [{G(t.Lower)}, {G(t.Upper)}]", t.N.ToString(CultureInfo.InvariantCulture), $"{t.Direction} {G(t.Threshold)}");
        if (r.Agreement is { } a)
            return ($"{G(a.Value)} (ref. {G(a.Reference)})", "—", $"{(a.Relative ? "rel." : "abs.")} error ≤ {G(a.Tolerance)}");
        return ("—", "—", "—");
    }

    /// <summary>The output metadata: <c>{"losslab": {"claims": [...]}}</c>.</summary>
    public static JsonObject ToMetadata(Claims claims)
    {
        var list = new JsonArray();
        foreach (var r in claims.Records)
        {
            var values = new JsonObject();
            foreach (var (k, v) in r.Values) values[k] = Num(v);
            var o = new JsonObject
            {
                ["id"] = r.Id, ["paper"] = r.Paper, ["claim"] = r.Claim, ["expected"] = r.Expected, ["observed"] = r.Observed,
                ["kind"] = r.KindText,
            };
            if (r.Test is { } t)
                o["test"] = new JsonObject
                {
                    ["statistic"] = t.Statistic, ["estimate"] = Num(t.Estimate), ["interval"] = new JsonArray(Num(t.Lower), Num(t.Upper)),
                    ["level"] = Num(t.Level), ["threshold"] = Num(t.Threshold), ["direction"] = t.Direction, ["n"] = t.N, ["method"] = t.Method,
                };
            if (r.Agreement is { } a)
            {
                o["reference"] = Num(a.Reference);
                o["tolerance"] = Num(a.Tolerance);
                o[a.Relative ? "relative_error" : "absolute_error"] = Num(a.Error);
            }
            o["values"] = values;
            o["verdict"] = r.VerdictText;
            o["scale"] = r.Scale;
            if (r.Reason is not null) o["reason"] = r.Reason;
            list.Add(o);
        }
        return new JsonObject { ["losslab"] = new JsonObject { ["claims"] = list } };
    }

    static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    static string G(double v) => double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "—";
}
