using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LossLab.Notebooks.Execution;

/// <summary>
/// Parameter values given from outside, in papermill's precedence (each later value wins): YAML files (<c>-f</c>), then
/// inline YAML (<c>-y</c>), then <c>--scale</c>, then <c>-p NAME VALUE</c>. A raw value is text, or a list of raw values (a YAML sequence).
/// </summary>
public sealed class ParameterOverrides
{
    readonly List<(string Name, object Raw, string Source)> items = [];

    /// <summary>The values in the order given.</summary>
    public IReadOnlyList<(string Name, object Raw, string Source)> Items => items;

    /// <summary>True when nothing is given.</summary>
    public bool IsEmpty => items.Count == 0;

    /// <summary>Adds <c>-p NAME VALUE</c>.</summary>
    public ParameterOverrides Add(string name, string value, string source = "-p")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        items.Add((name, value, source));
        return this;
    }

    internal ParameterOverrides AddList(string name, object raw, string source)
    {
        items.Add((name, raw, source));
        return this;
    }

    /// <summary>Adds every key of a YAML mapping.</summary>
    public ParameterOverrides AddYaml(string yaml, string source = "-y")
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new ParameterException($"{source}: not valid YAML ({e.Start.Line}:{e.Start.Column}): {e.Message}"); }
        if (stream.Documents.Count == 0) return this;
        if (stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            if (stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return this;
            throw new ParameterException($"{source}: the YAML must be a mapping of parameter names to values.");
        }
        foreach (var (key, value) in map.Children)
            items.Add((((YamlScalarNode)key).Value ?? "", Raw(value, source), source));
        return this;
    }

    /// <summary>Adds the parameters of a YAML file (<c>-f</c>).</summary>
    public ParameterOverrides AddYamlFile(string path)
    {
        if (!File.Exists(path)) throw new ParameterException($"-f {path}: no such file.");
        return AddYaml(File.ReadAllText(path), path);
    }

    internal static object Raw(YamlNode node, string source) => node switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode seq => seq.Children.Select(c => Raw(c, source)).ToList(),
        _ => throw new ParameterException($"{source}: nested mappings are not parameter values."),
    };
}
