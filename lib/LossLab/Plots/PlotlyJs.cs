using System.Text.RegularExpressions;
using Plotly.NET;

namespace LossLab.Plots;

/// <summary>
/// The plotly.js bundle that Plotly.NET embeds as a resource of Plotly.NET.dll, for pages that must render offline: a
/// standalone chart (<see cref="StandaloneHtml"/>) or a site that includes the script once for all its charts.
/// </summary>
public static partial class PlotlyJs
{
    static readonly Lazy<(string Name, string Version, string Source)> bundle = new(Load);

    /// <summary>The minified plotly.js source.</summary>
    public static string Source => bundle.Value.Source;

    /// <summary>The plotly.js version, e.g. "2.28.0".</summary>
    public static string Version => bundle.Value.Version;

    /// <summary>The resource's name in Plotly.NET.dll, e.g. "Plotly.NET.plotly-2.28.0.min.js".</summary>
    public static string ResourceName => bundle.Value.Name;

    /// <summary>A <c>&lt;script&gt;</c> element holding the whole bundle inline.</summary>
    public static string InlineScriptTag => "<script type=\"text/javascript\">" + Source.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) + "</script>";

    static (string, string, string) Load()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => BundleName().IsMatch(n))
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} holds no plotly-*.min.js resource.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return (name, BundleName().Match(name).Groups[1].Value, reader.ReadToEnd());
    }

    [GeneratedRegex(@"plotly-(\d+\.\d+\.\d+)\.min\.js$")]
    private static partial Regex BundleName();
}
