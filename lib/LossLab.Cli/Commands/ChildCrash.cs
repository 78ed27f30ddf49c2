using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Execution;

namespace LossLab.Cli.Commands;

/// <summary>Closes the record of a notebook whose process ended mid-cell: the cell left "running" in the autosaved output
/// becomes "failed" with an error output that says how the process ended, and the notebook is marked as failed. Earlier
/// cells and their outputs are kept as they were saved, and papermill's error marker cells point at the failed one.</summary>
static class ChildCrash
{
    /// <summary>Marks the cell in flight of <paramref name="outputPath"/>; returns a description of that cell ("cell 3
    /// (In [3]), id …"), or null when no output or no running cell was saved.</summary>
    public static string? MarkCellInFlight(string outputPath, string message, string ename = "ProcessExited")
    {
        if (!File.Exists(outputPath)) return null;
        NotebookDocument document;
        try { document = IpynbFormat.Read(outputPath); }
        catch (NotebookFormatException) { return null; }
        string? described = null;
        NotebookCell? marked = null;
        for (int i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            if (cell.Metadata["papermill"] is not JsonObject p || p["status"]?.GetValue<string>() != "running") continue;
            p["status"] = "failed";
            p["exception"] = true;
            p["end_time"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture);
            cell.Outputs.Add(CellOutputs.Error(ename, message, [message]));
            marked ??= cell;
            described = $"cell {i + 1} (In [{cell.ExecutionCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? " "}]), id {cell.Id}";
        }
        if (document.Metadata["papermill"] is JsonObject nb)
        {
            nb["exception"] = true;
            var now = DateTime.UtcNow;
            nb["end_time"] = now.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture);
            if (nb["start_time"]?.GetValue<string>() is { } begun && DateTime.TryParse(begun, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var start))
                nb["duration"] = (now - start).TotalSeconds;
        }
        if (marked is not null) ExecutionRecord.InsertErrorMarkers(document, marked);
        IpynbFormat.Save(document, outputPath);
        return described;
    }
}
