using System.Reflection;

namespace LossLab.Notebooks.Site;

/// <summary>The files every site carries: its stylesheet and script, plotly.js (from Plotly.NET's own resources, once for
/// the whole site) and KaTeX for math. Nothing is fetched from the network when a page opens.</summary>
internal static class SiteAssets
{
    internal static void WriteAll(string siteDir)
    {
        var assets = Path.Combine(siteDir, "assets");
        Directory.CreateDirectory(Path.Combine(assets, "katex", "fonts"));
        var own = typeof(SiteAssets).Assembly;
        foreach (var name in own.GetManifestResourceNames())
        {
            const string prefix = "site-assets/";
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var relative = name[prefix.Length..].Replace('\\', '/');
            using var stream = own.GetManifestResourceStream(name)!;
            WriteAtomically(Path.Combine(assets, relative), stream);
        }
        using var plotly = PlotlyJs();
        WriteAtomically(Path.Combine(assets, "plotly.min.js"), plotly);
    }

    /// <summary>plotly.js as embedded in Plotly.NET.dll.</summary>
    internal static Stream PlotlyJs()
    {
        var asm = typeof(Plotly.NET.GenericChart).Assembly;
        var name = asm.GetManifestResourceNames().FirstOrDefault(n => n.Contains("plotly", StringComparison.OrdinalIgnoreCase)
                                                                    && n.EndsWith(".min.js", StringComparison.OrdinalIgnoreCase))
                   ?? throw new InvalidOperationException("Plotly.NET.dll carries no plotly.js resource.");
        return asm.GetManifestResourceStream(name)!;
    }

    internal static void WriteAtomically(string path, Stream content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        using (var file = File.Create(tmp)) content.CopyTo(file);
        File.Move(tmp, path, overwrite: true);
    }

    internal static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text, new System.Text.UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
    }
}
