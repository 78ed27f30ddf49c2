using System.Collections;
using System.Text;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;

namespace LossLab.Notebooks.Execution;

/// <summary>
/// papermill's parameterisation, typed: the code cell tagged <c>parameters</c> holds the defaults; given values are checked
/// against its declarations and written as C# declarations in a cell tagged <c>injected-parameters</c> right after it
/// (replacing one left by an earlier run).
/// </summary>
public static class ParameterInjector
{
    /// <summary>The tag of the defaults cell.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The tag of the cell holding the values of a run.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>The notebook's parameters cell, or null.</summary>
    public static NotebookCell? FindParametersCell(NotebookDocument document) =>
        document.Cells.FirstOrDefault(c => c.IsCode && c.HasTag(ParametersTag));

    /// <summary>The declared parameters (empty without a parameters cell).</summary>
    public static (IReadOnlyList<NotebookParameter> Parameters, IReadOnlyList<string> Unsupported) Declared(NotebookDocument document) =>
        FindParametersCell(document) is { } cell ? ParametersCell.Parse(cell.Code) : ([], []);

    /// <summary>Binds <paramref name="overrides"/> (throwing <see cref="ParameterException"/> on any problem), removes a stale
    /// injected cell and inserts the new one. Returns the bound values.</summary>
    public static IReadOnlyList<BoundParameter> Inject(NotebookDocument document, ParameterOverrides overrides)
    {
        var (declared, unsupported) = Declared(document);
        var bound = ParameterBinder.Bind(declared, unsupported, overrides);
        document.Cells.RemoveAll(c => c.HasTag(InjectedTag));
        if (bound.Count == 0) return bound;
        var source = new StringBuilder("// Parameters");
        foreach (var b in bound) source.Append('\n').Append(CSharpLiteral.Declaration(b.Parameter.Name, b.Value, b.Parameter.Type));
        var cell = NotebookCell.Create("code", source.ToString(), metadata: new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = KernelNames.CSharp },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = KernelNames.CSharp },
            ["tags"] = new JsonArray(InjectedTag),
        });
        var parametersCell = FindParametersCell(document)!;
        document.Cells.Insert(document.Cells.IndexOf(parametersCell) + 1, cell);
        return bound;
    }

    /// <summary>A value as JSON for the execution record.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        bool b => b,
        int i => i,
        long l => l,
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        string s => s,
        IEnumerable e => new JsonArray(e.Cast<object?>().Select(ToJson).ToArray()),
        _ => value.ToString(),
    };
}
