using System.Text;
using System.Text.RegularExpressions;

namespace LossLab.Notebooks.Kernel;

/// <summary>What the directive pass found in a cell: the code Roslyn compiles (directives it handles turned into comments,
/// so every line keeps its number), whether <c>#!time</c> was asked for, and the errors with their line numbers.</summary>
public sealed record DirectiveResult(string Code, bool Time, IReadOnlyList<(int Line, string Message)> Errors)
{
    /// <summary>The <c>#r "nuget: …"</c> requests for packages the engine does not ship, in order (to restore).</summary>
    public IReadOnlyList<NuGetRequest> Packages { get; init; } = [];

    /// <summary>The sources of <c>#i "nuget: SOURCE"</c> lines, in order.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
}

/// <summary>A <c>#r "nuget: Name[, Version]"</c> line: its number, the package and the version asked for (null: the newest).</summary>
public sealed record NuGetRequest(int Line, string Name, string? Version);

/// <summary>
/// Handles Polyglot's magic commands before Roslyn sees a cell: <c>#r "nuget: Name, Version"</c> (satisfied by
/// <see cref="ShippedPackages"/>, or a clear error for an incompatible version of a shipped package; any other package is
/// returned for <see cref="NuGetRestore"/>), <c>#i "nuget: SOURCE"</c> (a package source for later restores), <c>#r "path.dll"</c> (an assembly the engine already loaded is reused,
/// so types stay identical; a missing file is an error naming the resolved path), <c>#!time</c>, and any other
/// <c>#!</c> magic (an error: LossLab runs C# only).
/// </summary>
public static partial class Directives
{
    [GeneratedRegex("""^\s*#r\s+"nuget:\s*([^,"]+?)\s*(?:,\s*([^"]*?)\s*)?"\s*;?\s*$""")]
    private static partial Regex NugetReference();

    [GeneratedRegex("""^\s*#r\s+"([^"]+)"\s*;?\s*$""")]
    private static partial Regex PathReference();

    [GeneratedRegex("""^\s*#i\s+"([^"]*)"\s*;?\s*$""")]
    private static partial Regex Include();

    [GeneratedRegex("""^#!(\S+)""")]
    private static partial Regex Magic();

    static readonly HashSet<string> PolyglotOnly = new(StringComparer.Ordinal)
    {
        "set", "share", "import", "value", "about", "lsmagic", "who", "whos", "connect", "log", "!", "kql", "sql", "mermaid",
    };

    /// <summary>Processes <paramref name="code"/>; paths in <c>#r</c> resolve against <paramref name="workingDirectory"/>.</summary>
    public static DirectiveResult Process(string code, string workingDirectory)
    {
        var lines = code.Split('\n');
        var errors = new List<(int, string)>();
        bool time = false;
        var packages = new List<NuGetRequest>();
        var sources = new List<string>();
        var sb = new StringBuilder(code.Length + 16);
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var bare = line.TrimEnd('\r');
            string? replacement = null;
            Match m;
            if ((m = NugetReference().Match(bare)).Success)
            {
                var name = m.Groups[1].Value.Trim();
                var version = m.Groups[2].Success && m.Groups[2].Value.Trim().Length > 0 ? m.Groups[2].Value.Trim() : null;
                if (!ShippedPackages.Covers(name))
                {
                    packages.Add(new NuGetRequest(i + 1, name, version));
                    replacement = "// " + bare.TrimStart();
                }
                else if (ShippedPackages.Check(name, version) is { } error) errors.Add((i + 1, $"#r \"nuget: {name}\": {error}"));
                else replacement = "// " + bare.TrimStart();
            }
            else if ((m = PathReference().Match(bare)).Success)
            {
                var reference = m.Groups[1].Value;
                var name = Path.GetFileNameWithoutExtension(reference);
                if (AppDomain.CurrentDomain.GetAssemblies().Any(a => !a.IsDynamic && a.GetName().Name == name && a.Location.Length > 0))
                    replacement = "// " + bare.TrimStart() + " (already loaded by the engine)";
                else if (reference.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                {
                    var full = Path.GetFullPath(Path.Combine(workingDirectory, reference));
                    var framework = Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), Path.GetFileName(reference));
                    if (!File.Exists(full) && !(reference == Path.GetFileName(reference) && File.Exists(framework))) errors.Add((i + 1, $"#r \"{reference}\": no such file: {full} (paths are relative to the notebook's folder)."));
                }
            }
            else if ((m = Include().Match(bare)).Success)
            {
                var include = m.Groups[1].Value;
                if (include.TrimStart().StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) && include.TrimStart()[6..].Trim() is { Length: > 0 } source)
                {
                    sources.Add(source);
                    replacement = "// " + bare.TrimStart();
                }
                else errors.Add((i + 1, $"#i \"{include}\": #i adds a package source and takes the form #i \"nuget: SOURCE\" (a feed URL or a folder)."));
            }
            else if ((m = Magic().Match(bare)).Success)
            {
                var magic = m.Groups[1].Value;
                if (magic == "time") { time = true; replacement = "// " + bare; }
                else if (Documents.KernelNames.Normalize(magic) is { } kernel)
                    errors.Add((i + 1, $"#!{magic}: switching to the {kernel} kernel inside a cell is not supported; LossLab runs C# cells only (put the kernel chooser on the cell's first line)."));
                else if (PolyglotOnly.Contains(magic))
                    errors.Add((i + 1, $"#!{magic}: this Polyglot magic command is not supported by LossLab's engine."));
                else
                    errors.Add((i + 1, $"#!{magic}: unknown magic command."));
            }
            sb.Append(replacement is null ? line : replacement + (line.EndsWith('\r') ? "\r" : ""));
            if (i < lines.Length - 1) sb.Append('\n');
        }
        return new DirectiveResult(sb.ToString(), time, errors) { Packages = packages, Sources = sources };
    }
}
