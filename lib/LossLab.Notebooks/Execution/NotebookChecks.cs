using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;

namespace LossLab.Notebooks.Execution;

/// <summary>What <c>losslab check</c> requires of a LossLab notebook: Polyglot metadata (kernelspec .net-csharp,
/// polyglot_notebook kernel info, nbformat 4.5 with cell ids, the kernel on each code cell), a <c>parameters</c> cell
/// declaring <c>Scale</c>, and no stored outputs.</summary>
public static class NotebookChecks
{
    /// <summary>The problems of the notebook at <paramref name="path"/> (empty when it passes).</summary>
    public static IReadOnlyList<string> Check(string path)
    {
        var problems = new List<string>();
        NotebookDocument document;
        try { document = NotebookFile.Read(path); }
        catch (NotebookFormatException e) { return [e.Problem]; }
        if (path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase)) problems.Add("LossLab notebooks are .ipynb files, not .dib.");
        var meta = document.Metadata;
        if (meta["kernelspec"]?["name"]?.GetValue<string>() != ".net-csharp") problems.Add("metadata.kernelspec.name is not \".net-csharp\".");
        if (meta["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>() != "csharp")
            problems.Add("metadata.polyglot_notebook.kernelInfo.defaultKernelName is not \"csharp\".");
        // "C#" is what the kernel reports and Polyglot wrote until 2023; current Polyglot saves "polyglot-notebook".
        if (meta["language_info"]?["name"] is JsonNode li && li.GetValue<string>() is not ("C#" or "polyglot-notebook"))
            problems.Add($"metadata.language_info.name is \"{li.GetValue<string>()}\", not \"C#\" or \"polyglot-notebook\" (a VS Code Jupyter extension may leave \"python\").");
        if (document.NbFormatMinor < 5) problems.Add($"nbformat_minor is {document.NbFormatMinor}; Polyglot writes 4.5 with cell ids.");
        for (int i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            if (cell.Id is null) problems.Add($"cell {i + 1} has no id.");
            if (!cell.IsCode) continue;
            if (cell.Json["metadata"]?["polyglot_notebook"]?["kernelName"] is null) problems.Add($"cell {i + 1} has no polyglot_notebook.kernelName metadata.");
            if (cell.KernelName != KernelNames.CSharp) problems.Add($"cell {i + 1} is for the '{cell.KernelName}' kernel; only C# cells run.");
            if (cell.Outputs.Count > 0) problems.Add($"cell {i + 1} has stored outputs (notebooks are kept without outputs).");
            if (cell.Json["execution_count"] is not null) problems.Add($"cell {i + 1} has an execution_count (clear outputs before committing).");
        }
        var parametersCell = ParameterInjector.FindParametersCell(document);
        if (parametersCell is null) problems.Add("no code cell is tagged \"parameters\".");
        else if (!ParametersCell.Parse(parametersCell.Code).Parameters.Any(p => p.Name == "Scale" && p.Type.Kind == ParameterKind.String && !p.Type.IsArray))
            problems.Add("the parameters cell does not declare string Scale (\"smoke\", \"default\" or \"paper\").");
        if (document.Cells.Any(c => c.HasTag(ParameterInjector.InjectedTag))) problems.Add("an injected-parameters cell is stored; remove it.");
        return problems;
    }
}
