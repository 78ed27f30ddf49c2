using System.Globalization;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;

namespace LossLab.Notebooks.Execution;

/// <summary>
/// papermill's execution record (<c>NotebookExecutionManager</c>), the one owner of timings, statuses, error markers and
/// saving: <c>metadata.papermill</c> on the notebook (start and end time, duration, exception, parameters, input and output
/// paths) and on each cell (start and end time, duration, status pending/running/completed/failed, exception). The
/// output notebook is saved atomically at the start and after every cell, so a killed run leaves a valid partial notebook.
/// </summary>
public sealed class ExecutionRecord
{
    /// <summary>The tag of papermill's error marker cells (removed on the next run).</summary>
    public const string ErrorMarkerTag = "papermill-error-cell-tag";

    const string ErrorStyle = "style=\"color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;\"";

    /// <summary>The engine version written as <c>metadata.papermill.version</c>.</summary>
    public static string Version { get; } = "losslab-" + (typeof(ExecutionRecord).Assembly.GetName().Version?.ToString(3) ?? "0");

    readonly NotebookDocument document;
    readonly string outputPath;
    readonly Dictionary<NotebookCell, DateTimeOffset> started = [];
    DateTimeOffset start;

    /// <summary>Starts the record: stamps the notebook, sets every cell pending, clears code outputs and stale error
    /// markers, and saves.</summary>
    public ExecutionRecord(NotebookDocument document, string inputPath, string outputPath, JsonObject defaultParameters, JsonObject parameters)
    {
        this.document = document;
        // Resolved now: cells change the current directory while they run, and the record also saves mid-cell (autosave,
        // interruption), so a relative path would land in the notebook's folder.
        this.outputPath = Path.GetFullPath(outputPath);
        start = DateTimeOffset.UtcNow;
        document.Cells.RemoveAll(c => c.HasTag(ErrorMarkerTag));
        JsonText.SetSorted(document.Metadata, "papermill", new JsonObject
        {
            ["default_parameters"] = defaultParameters,
            ["duration"] = null,
            ["end_time"] = null,
            ["environment_variables"] = new JsonObject(),
            ["exception"] = null,
            ["input_path"] = inputPath,
            ["output_path"] = outputPath,
            ["parameters"] = parameters,
            ["start_time"] = Time(start),
            ["version"] = Version,
        });
        foreach (var cell in document.Cells)
        {
            JsonText.SetSorted(cell.Metadata, "papermill", new JsonObject
            {
                ["duration"] = null, ["end_time"] = null, ["exception"] = null, ["start_time"] = null, ["status"] = "pending",
            });
            if (cell.IsCode)
            {
                cell.Outputs.Clear();
                cell.ExecutionCount = null;
                if (cell.Metadata["losslab"] is JsonObject losslab)
                {
                    losslab.Remove("streams");
                    if (losslab.Count == 0) cell.Metadata.Remove("losslab");
                }
            }
        }
        Save();
    }

    /// <summary>The notebook-level record.</summary>
    public JsonObject Notebook => (JsonObject)document.Metadata["papermill"]!;

    /// <summary>A cell begins: start time, status running; saved.</summary>
    public void CellStart(NotebookCell cell)
    {
        var now = DateTimeOffset.UtcNow;
        started[cell] = now;
        var p = Papermill(cell);
        p["start_time"] = Time(now);
        p["status"] = "running";
        p["exception"] = false;
        Save();
    }

    /// <summary>Links the side files holding the whole text of <paramref name="cell"/>'s truncated stream outputs, as
    /// <c>metadata.losslab.streams</c>: name, file (relative to the executed notebook), characters and lines.</summary>
    public void CellStreamFiles(NotebookCell cell, IReadOnlyList<Kernel.StreamSpill> spills)
    {
        var list = new JsonArray();
        foreach (var s in spills)
            list.Add(new JsonObject { ["characters"] = s.Characters, ["file"] = s.File, ["lines"] = s.Lines, ["name"] = s.Name });
        if (cell.Metadata["losslab"] is JsonObject losslab) losslab["streams"] = list;
        else JsonText.SetSorted(cell.Metadata, "losslab", new JsonObject { ["streams"] = list });
    }

    /// <summary>A cell raised an error that fails the notebook.</summary>
    public void CellException(NotebookCell cell)
    {
        var p = Papermill(cell);
        p["exception"] = true;
        p["status"] = "failed";
        Notebook["exception"] = true;
    }

    /// <summary>A cell ends: end time, duration, status completed unless failed; saved.</summary>
    public void CellComplete(NotebookCell cell)
    {
        var now = DateTimeOffset.UtcNow;
        var p = Papermill(cell);
        var begun = started.GetValueOrDefault(cell, now);
        p["end_time"] = Time(now);
        p["duration"] = (now - begun).TotalSeconds;
        if (p["status"]?.GetValue<string>() != "failed") p["status"] = "completed";
        Save();
    }

    /// <summary>The run ends: end time and duration; cells left pending before <paramref name="failedCell"/> (all cells when
    /// it is null) are completed; with a failure, papermill's two error marker cells are inserted; saved.</summary>
    public void End(NotebookCell? failedCell)
    {
        var now = DateTimeOffset.UtcNow;
        Notebook["end_time"] = Time(now);
        Notebook["duration"] = (now - start).TotalSeconds;
        if (Notebook["exception"] is null && failedCell is null) Notebook["exception"] = false;
        foreach (var cell in document.Cells)
        {
            if (cell == failedCell) break;
            var p = Papermill(cell);
            if (p["status"]?.GetValue<string>() == "pending") p["status"] = "completed";
        }
        if (failedCell is not null) InsertErrorMarkers(document, failedCell);
        Save();
    }

    /// <summary>Papermill's two error marker cells: one at the top linking to the failed cell, one just before it. Earlier
    /// markers are removed first, so a document carries at most one pair.</summary>
    public static void InsertErrorMarkers(NotebookDocument document, NotebookCell failedCell)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(failedCell);
        if (!document.Cells.Contains(failedCell)) throw new ArgumentException("The failed cell is not a cell of this notebook.", nameof(failedCell));
        document.Cells.RemoveAll(c => c.HasTag(ErrorMarkerTag));
        var count = failedCell.ExecutionCount?.ToString(CultureInfo.InvariantCulture) ?? " ";
        var top = Marker($"<span {ErrorStyle}>An Exception was encountered at '<a href=\"#papermill-error-cell\">In [{count}]</a>'.</span>");
        var anchor = Marker($"<span id=\"papermill-error-cell\" {ErrorStyle}>Execution using papermill encountered an exception here and stopped:</span>");
        document.Cells.Insert(document.Cells.IndexOf(failedCell), anchor);
        document.Cells.Insert(0, top);
    }

    /// <summary>Writes the output notebook atomically.</summary>
    public void Save() => IpynbFormat.Save(document, outputPath);

    static NotebookCell Marker(string html) =>
        NotebookCell.Create("markdown", html, metadata: new JsonObject
        {
            ["papermill"] = new JsonObject { ["duration"] = null, ["end_time"] = null, ["exception"] = null, ["start_time"] = null, ["status"] = "completed" },
            ["tags"] = new JsonArray(ErrorMarkerTag),
        });

    static JsonObject Papermill(NotebookCell cell) => (JsonObject)cell.Metadata["papermill"]!;

    static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
