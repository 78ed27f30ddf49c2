using System.Globalization;
using System.Reflection;
using System.Text;
using LossLab.Experiments;
using Plotly.NET;

namespace LossLab.Interactive;

/// <summary>
/// Displays LossLab's results in the .NET Interactive kernel (VS Code's Polyglot and Jupyter extensions) as LossLab's own
/// engine displays them: a Plotly.NET chart as its <c>text/html</c> fragment (what the Plotly.NET.Interactive extension
/// writes; its script loads plotly.js from the CDN), and <see cref="Claims"/> as the claims table, one row per claim with
/// <c>id="claim-ID"</c> and <c>data-verdict</c> as in the engine's table. The kernel's
/// <c>Microsoft.DotNet.Interactive.Formatting.Formatter.Register(Type, Action&lt;object, TextWriter&gt;, string)</c> is
/// called by reflection, so LossLab does not depend on .NET Interactive; outside the kernel this does nothing.
/// (Plotly.NET.Interactive itself cannot be used there: it is loaded when its <c>#r</c> runs, before LossLab can
/// reconcile the FSharp.Core versions, see <see cref="FSharpCoreBinding"/>.)
/// </summary>
public static class KernelFormatters
{
    /// <summary>The kernel's formatting assembly, looked for among the loaded assemblies.</summary>
    public const string FormattingAssembly = "Microsoft.DotNet.Interactive.Formatting";

    static readonly object Gate = new();
    static int registered;

    /// <summary>True once the formatters are registered with the kernel.</summary>
    public static bool Registered => Volatile.Read(ref registered) == 1;

    /// <summary>Registers the chart and claims formatters when the kernel's formatting assembly is loaded; returns whether
    /// they are registered (idempotent).</summary>
    public static bool TryRegister()
    {
        if (Registered) return true;
        var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == FormattingAssembly);
        var register = assembly?.GetType("Microsoft.DotNet.Interactive.Formatting.Formatter")
            ?.GetMethod("Register", BindingFlags.Public | BindingFlags.Static, [typeof(Type), typeof(Action<object, TextWriter>), typeof(string)]);
        if (register is null) return false;
        lock (Gate)
        {
            if (Registered) return true;
            register.Invoke(null, [typeof(GenericChart), (Action<object, TextWriter>)((o, w) => w.Write(ChartHtml((GenericChart)o))), "text/html"]);
            register.Invoke(null, [typeof(Claims), (Action<object, TextWriter>)((o, w) => w.Write(ClaimsHtml((Claims)o))), "text/html"]);
            register.Invoke(null, [typeof(Claims), (Action<object, TextWriter>)((o, w) => w.Write(o.ToString())), "text/plain"]);
            Volatile.Write(ref registered, 1);
            return true;
        }
    }

    /// <summary>The chart as Plotly.NET.Interactive displays it: a <c>div</c> and the script that draws it
    /// (<c>GenericChart.toChartHTML</c>'s text, written by <see cref="LossLab.Plots.FigureJson.ChartHtml"/>).</summary>
    public static string ChartHtml(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return LossLab.Plots.FigureJson.ChartHtml(chart);
    }

    /// <summary>The claims table: caption with the totals, then verdict, claim (id, kind, reason), paper, expected,
    /// observed, estimate with interval, n and threshold of each claim.</summary>
    public static string ClaimsHtml(Claims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var (held, failed, inconclusive, notRun) = claims.Totals;
        var sb = new StringBuilder();
        sb.Append($"<table class=\"losslab-claims\"><caption>Claims at scale <b>{Escape(claims.Scale)}</b>: {held} held, {failed} failed, {inconclusive} inconclusive, {notRun} not run</caption>");
        sb.Append("<thead><tr><th>verdict</th><th>claim</th><th>paper</th><th>expected</th><th>observed</th><th>estimate [95 % interval]</th><th>n</th><th>threshold</th></tr></thead><tbody>");
        foreach (var r in claims.Records)
        {
            string color = r.VerdictText switch { "held" => "#1a7f37", "failed" => "#cf222e", "inconclusive" => "#bf8700", _ => "#6e7781" };
            sb.Append($"<tr id=\"claim-{Escape(r.Id)}\" data-verdict=\"{r.VerdictText}\">");
            sb.Append($"<td style=\"color:{color};font-weight:bold\">{r.VerdictText}</td>");
            sb.Append($"<td>{Escape(r.Claim)}<br><small><code>{Escape(r.Id)}</code> · {r.KindText}</small>");
            if (r.Reason is not null) sb.Append($"<br><small><i>{Escape(r.Reason)}</i></small>");
            sb.Append($"</td><td>{Escape(r.Paper)}</td><td>{Escape(r.Expected)}</td><td>{Escape(r.Observed)}</td>");
            var (estimate, n, threshold) = r.Test is { } t
                ? ($"{G(t.Estimate)} [{G(t.Lower)}, {G(t.Upper)}]", t.N.ToString(CultureInfo.InvariantCulture), $"{t.Direction} {G(t.Threshold)}")
                : r.Agreement is { } a
                    ? ($"{G(a.Value)} (ref. {G(a.Reference)})", "—", $"{(a.Relative ? "rel." : "abs.")} error ≤ {G(a.Tolerance)}")
                    : ("—", "—", "—");
            sb.Append($"<td>{Escape(estimate)}</td><td>{Escape(n)}</td><td>{Escape(threshold)}</td></tr>");
        }
        sb.Append("</tbody></table>");
        return sb.ToString();
    }

    static string G(double v) => double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "—";

    static string Escape(string? text) =>
        (text ?? "").Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal);
}
