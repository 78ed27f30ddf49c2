using System.Globalization;
using LossLab.Notebooks.Execution;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LossLab.Notebooks.Sweeps;

/// <summary>One point of a sweep: its index (0-based, the Slurm array index), its parameter values in the spec's order,
/// and the folder name made from them.</summary>
public sealed record SweepPoint(int Index, IReadOnlyList<KeyValuePair<string, object>> Parameters, string Name);

/// <summary>
/// A sweep: notebooks × a parameter grid at a scale, read from YAML:
/// <code>
/// notebooks: [notebooks/imbalance/nb4.1-ldam-drw-long-tail.ipynb]
/// scale: smoke
/// parameters:          # a list is an axis (its values in order); anything else is fixed
///   Loss: [ce, ldam]
///   RunSeeds: [[1], [2]]   # a list-valued parameter: a list of lists
///   Epochs: 10
/// zip:                 # each group is one axis: its lists have one length and vary together
///   - { Lr: [0.1, 0.01], WeightDecay: [0.0001, 0.0005] }
/// </code>
/// The points are the Cartesian product of the axes in the order written (the last axis varies fastest).
/// </summary>
public sealed class SweepSpec
{
    /// <summary>The notebooks (paths as written, relative to the spec's folder unless rooted).</summary>
    public IReadOnlyList<string> Notebooks { get; }

    /// <summary>The scale every point runs at (smoke, default, paper), or null for the notebooks' own.</summary>
    public string? Scale { get; }

    /// <summary>Every point of the grid.</summary>
    public IReadOnlyList<SweepPoint> Points { get; }

    /// <summary>The names of the parameters that vary (the axes), in the spec's order.</summary>
    public IReadOnlyList<string> Varying { get; }

    SweepSpec(IReadOnlyList<string> notebooks, string? scale, IReadOnlyList<SweepPoint> points, IReadOnlyList<string> varying) =>
        (Notebooks, Scale, Points, Varying) = (notebooks, scale, points, varying);

    /// <summary>Reads a spec file; <paramref name="extraNotebooks"/> (from the command line) are added to its notebooks.</summary>
    public static SweepSpec Load(string path, IEnumerable<string>? extraNotebooks = null)
    {
        if (!File.Exists(path)) throw new SweepException($"{path}: no such sweep file.");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var spec = Parse(File.ReadAllText(path), path);
        var notebooks = spec.Notebooks.Select(n => Path.GetFullPath(Path.Combine(folder, n))).Concat((extraNotebooks ?? []).Select(Path.GetFullPath)).Distinct().ToList();
        if (notebooks.Count == 0) throw new SweepException($"{path}: no notebooks (give `notebooks:` in the file or paths on the command line).");
        return new SweepSpec(notebooks, spec.Scale, spec.Points, spec.Varying);
    }

    /// <summary>Parses a spec's YAML text; <paramref name="source"/> names it in errors.</summary>
    public static SweepSpec Parse(string yaml, string source = "sweep")
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new SweepException($"{source}: not valid YAML ({e.Start.Line}:{e.Start.Column}): {e.Message}"); }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new SweepException($"{source}: a sweep is a YAML mapping with `parameters:` (and optionally `notebooks:`, `scale:`, `zip:`).");

        var notebooks = new List<string>();
        string? scale = null;
        var axes = new List<(IReadOnlyList<string> Names, IReadOnlyList<IReadOnlyList<object>> Values)>();
        var fixedValues = new List<KeyValuePair<string, object>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Name(string name)
        {
            if (!seen.Add(name)) throw new SweepException($"{source}: parameter '{name}' is given twice.");
            if (name == "Scale") throw new SweepException($"{source}: set the scale with `scale:`, not as a parameter.");
        }

        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            switch (key)
            {
                case "notebooks":
                    notebooks.AddRange(value switch
                    {
                        YamlScalarNode s => [s.Value ?? ""],
                        YamlSequenceNode seq => seq.Children.Select(c => (c as YamlScalarNode)?.Value ?? throw new SweepException($"{source}: `notebooks:` lists paths.")),
                        _ => throw new SweepException($"{source}: `notebooks:` is a path or a list of paths."),
                    });
                    break;
                case "scale":
                    scale = (value as YamlScalarNode)?.Value;
                    if (scale is null || !RunOptions.Scales.Contains(scale))
                        throw new SweepException($"{source}: scale must be one of {string.Join(", ", RunOptions.Scales)}, not '{scale}'.");
                    break;
                case "parameters":
                    if (value is not YamlMappingNode parameters) throw new SweepException($"{source}: `parameters:` is a mapping of NAME: value or NAME: [values].");
                    foreach (var (nameNode, values) in parameters.Children)
                    {
                        var name = ((YamlScalarNode)nameNode).Value ?? "";
                        Name(name);
                        if (values is YamlSequenceNode list)
                        {
                            if (list.Children.Count == 0) throw new SweepException($"{source}: parameter '{name}' has an empty list of values.");
                            axes.Add(([name], [list.Children.Select(c => ParameterOverrides.Raw(c, source)).ToList()]));
                        }
                        else fixedValues.Add(new(name, ParameterOverrides.Raw(values, source)));
                    }
                    break;
                case "zip":
                    if (value is not YamlSequenceNode groups) throw new SweepException($"{source}: `zip:` is a list of groups, each a mapping of NAME: [values].");
                    foreach (var group in groups.Children)
                    {
                        if (group is not YamlMappingNode members || members.Children.Count == 0) throw new SweepException($"{source}: a zip group is a mapping of NAME: [values].");
                        var names = new List<string>();
                        var columns = new List<IReadOnlyList<object>>();
                        foreach (var (nameNode, values) in members.Children)
                        {
                            var name = ((YamlScalarNode)nameNode).Value ?? "";
                            Name(name);
                            if (values is not YamlSequenceNode list || list.Children.Count == 0)
                                throw new SweepException($"{source}: zip parameter '{name}' needs a non-empty list of values.");
                            names.Add(name);
                            columns.Add(list.Children.Select(c => ParameterOverrides.Raw(c, source)).ToList());
                        }
                        if (columns.Select(c => c.Count).Distinct().Count() != 1)
                            throw new SweepException($"{source}: the lists of zip group ({string.Join(", ", names)}) differ in length ({string.Join(", ", columns.Select(c => c.Count))}); they vary together.");
                        axes.Add((names, columns));
                    }
                    break;
                default:
                    throw new SweepException($"{source}: unknown key '{key}' (expected notebooks, scale, parameters, zip).");
            }
        }
        if (axes.Count == 0 && fixedValues.Count == 0) throw new SweepException($"{source}: no parameters to sweep.");

        var points = new List<SweepPoint>();
        var varying = axes.SelectMany(a => a.Names).ToList();
        var lengths = axes.Select(a => a.Values[0].Count).ToArray();
        long total = lengths.Aggregate(1L, (p, n) => p * n);
        if (total > 100_000) throw new SweepException($"{source}: {total:N0} points; a sweep has at most 100,000.");
        var digit = new int[axes.Count];
        for (int index = 0; index < total; index++)
        {
            var values = new List<KeyValuePair<string, object>>();
            for (int a = 0; a < axes.Count; a++)
                for (int m = 0; m < axes[a].Names.Count; m++)
                    values.Add(new(axes[a].Names[m], axes[a].Values[m][digit[a]]));
            var name = varying.Count == 0 ? "point" : string.Join(",", values.Select(v => $"{v.Key}={FolderText(v.Value)}"));
            values.AddRange(fixedValues);
            points.Add(new SweepPoint(index, values, name));
            for (int a = axes.Count - 1; a >= 0; a--)
            {
                if (++digit[a] < lengths[a]) break;
                digit[a] = 0;
            }
        }
        var clash = points.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null) throw new SweepException($"{source}: two points would share the folder '{clash.Key}' (values that differ only in characters a folder name cannot hold, or repeated values).");
        return new SweepSpec(notebooks, scale, points, varying);
    }

    /// <summary>A value as it appears in a folder name: lists as a-b-c, made one safe path segment
    /// (<see cref="PathSegment.Safe"/>), at most 40 characters per value.</summary>
    public static string FolderText(object value)
    {
        var text = value is IEnumerable<object> list ? string.Join("-", list.Select(FolderText)) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        var result = PathSegment.Safe(text);
        return result.Length <= 40 ? result : result[..40];
    }

    /// <summary>A point's parameters as inline YAML (flow style), what <c>losslab run -y</c> takes.</summary>
    public static string Yaml(IEnumerable<KeyValuePair<string, object>> parameters) =>
        "{" + string.Join(", ", parameters.Select(p => $"{Quote(p.Key)}: {YamlValue(p.Value)}")) + "}";

    static string YamlValue(object value) => value is IEnumerable<object> list ? "[" + string.Join(", ", list.Select(YamlValue)) + "]" : Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

    /// <summary>A scalar kept as written: plain when YAML reads it back unchanged, else single-quoted.</summary>
    static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+' or '_') && text[0] is not ('-' or '.') ? text : "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>A sweep file or folder that cannot be used, with the reason.</summary>
public sealed class SweepException(string message) : Exception(message);
