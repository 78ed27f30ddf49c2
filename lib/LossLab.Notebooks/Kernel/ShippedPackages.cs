using System.Reflection;

namespace LossLab.Notebooks.Kernel;

/// <summary>
/// The NuGet packages the engine ships, which satisfy <c>#r "nuget: Name, Version"</c> in notebooks without a download.
/// Versions come from the build (Directory.Packages.props). A request is compatible when it names no version or a
/// wildcard, or a version with the shipped major version (for 0.x packages, the shipped minor version too) not newer
/// than the shipped one. <c>TorchSharp-cpu</c> maps to TorchSharp plus the CPU libtorch; <c>Plotly.NET.Interactive</c>
/// is accepted as the engine's own chart formatter.
/// </summary>
public static class ShippedPackages
{
    static readonly Dictionary<string, string> Versions = typeof(ShippedPackages).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(a => a.Key.StartsWith("ShippedPackage:", StringComparison.Ordinal))
        .ToDictionary(a => a.Key["ShippedPackage:".Length..], a => a.Value ?? "", StringComparer.OrdinalIgnoreCase);

    /// <summary>Package name (as a notebook may write it) → the shipped package that provides it.</summary>
    static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TorchSharp"] = "TorchSharp",
        ["TorchSharp-cpu"] = "TorchSharp",
        ["libtorch-cpu"] = "libtorch-cpu-linux-x64",
        ["libtorch-cpu-linux-x64"] = "libtorch-cpu-linux-x64",
        ["Plotly.NET"] = "Plotly.NET",
        ["Plotly.NET.CSharp"] = "Plotly.NET.CSharp",
        ["MathNet.Numerics"] = "MathNet.Numerics",
        ["Deedle"] = "Deedle",
        ["FSharp.Core"] = "FSharp.Core",
    };

    /// <summary>Packages accepted at any version because the engine provides what they do.</summary>
    static readonly Dictionary<string, string> Provided = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Plotly.NET.Interactive"] = "the engine formats Plotly.NET charts itself",
        ["Microsoft.DotNet.Interactive"] = "the engine provides display(...) and Formatter",
        ["Microsoft.DotNet.Interactive.Formatting"] = "the engine provides Formatter",
    };

    /// <summary>Name → version of each shipped package.</summary>
    public static IReadOnlyDictionary<string, string> All => Versions;

    /// <summary>True when the engine itself provides <paramref name="name"/> (shipped, or stood in for); other packages are
    /// restored from the NuGet sources.</summary>
    public static bool Covers(string name) => Provided.ContainsKey(name) || Aliases.ContainsKey(name);

    /// <summary>Checks a <c>#r "nuget: …"</c> request; returns null when the engine satisfies it, else the error message.</summary>
    public static string? Check(string name, string? version)
    {
        if (Provided.ContainsKey(name)) return null;
        var shippedList = string.Join(", ", Versions.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))
                          + ", Plotly.NET.Interactive (any version)";
        if (!Aliases.TryGetValue(name, out var shippedName) || !Versions.TryGetValue(shippedName, out var shipped))
            return $"the package '{name}' is not shipped with LossLab's notebook engine, which cannot download packages. " +
                   $"Shipped: {shippedList}. To use '{name}', add a <PackageVersion> for it to Directory.Packages.props and a " +
                   "<PackageReference> to lib/LossLab.Notebooks/LossLab.Notebooks.csproj, then rebuild; or #r the path of a built DLL.";
        if (string.IsNullOrWhiteSpace(version) || version.Contains('*')) return null;
        if (!TryParse(version, out var wanted) || !TryParse(shipped, out var have))
            return $"cannot read the version '{version}' of '{name}'; LossLab ships {shippedName} {shipped}.";
        bool compatible = wanted.Major == have.Major && (have.Major > 0 || wanted.Minor == have.Minor) && wanted <= have;
        return compatible ? null
            : $"'{name}' {version} is not compatible with the {shippedName} {shipped} that LossLab's engine ships; " +
              $"pin {name} {shipped} (or another version with the same major{(have.Major == 0 ? " and minor" : "")} version, not newer).";
    }

    static bool TryParse(string text, out Version version)
    {
        var core = text.Trim().TrimStart('[', '(').Split(',', ']', ')')[0].Split('-', '+')[0];
        if (!core.Contains('.')) core += ".0";
        return Version.TryParse(core, out version!);
    }
}
