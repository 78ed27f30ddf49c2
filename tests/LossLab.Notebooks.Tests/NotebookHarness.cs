using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Execution;

namespace LossLab.Notebooks.Tests;

/// <summary>Runs test notebooks into a scratch folder and reads the executed copy back.</summary>
static class NotebookHarness
{
    /// <summary>The test data folder in the test output.</summary>
    public static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    /// <summary>A fresh scratch folder, inside this test process's own folder (<see cref="ScratchRoot"/>).</summary>
    public static string Scratch()
    {
        var dir = Path.Combine(ScratchRoot.Value, Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The folder of this test process's scratch folders, <c>losslab-tests/run-PID-…</c> in the temporary folder:
    /// deleted when the process exits (the Slurm sweep test alone copies about 0.7 GB there). The folders of runs whose
    /// process is gone (a killed test run) are deleted when the next run starts.</summary>
    static readonly Lazy<string> ScratchRoot = new(() =>
    {
        var parent = Path.Combine(Path.GetTempPath(), "losslab-tests");
        Directory.CreateDirectory(parent);
        foreach (var old in Directory.EnumerateDirectories(parent, "run-*"))
            if (OwnerIsGone(Path.GetFileName(old))) TryDelete(old);
        var root = Path.Combine(parent, $"run-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
        return root;
    });

    static bool OwnerIsGone(string name)
    {
        var parts = name.Split('-');
        if (parts.Length != 3 || !int.TryParse(parts[1], out int pid)) return false;
        try
        {
            using var owner = System.Diagnostics.Process.GetProcessById(pid);
            return owner.HasExited;
        }
        catch (ArgumentException) { return true; }   // no such process
    }

    static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }                      // a file still held by a child process: left for the next run
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Writes <paramref name="text"/> as a notebook file in a scratch folder and returns its path.</summary>
    public static string WriteNotebook(string text, string name = "nb.ipynb")
    {
        var path = Path.Combine(Scratch(), name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs <paramref name="input"/>; returns the result and the executed notebook.</summary>
    public static async Task<(RunResult Result, NotebookDocument Output)> RunAsync(string input, ParameterOverrides? parameters = null,
        string? scale = null, bool allowErrors = false, TimeSpan? timeout = null)
    {
        var output = Path.Combine(Scratch(), "out", Path.ChangeExtension(Path.GetFileName(input), ".ipynb"));
        var result = await NotebookRunner.RunAsync(new RunOptions
        {
            InputPath = input, OutputPath = output, Parameters = parameters ?? new(), Scale = scale,
            AllowErrors = allowErrors, ExecutionTimeout = timeout,
        });
        return (result, IpynbFormat.Read(output));
    }

    /// <summary>A code cell in Polyglot's layout.</summary>
    public static JsonObject Code(string source, params string[] tags)
    {
        var metadata = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        };
        if (tags.Length > 0) metadata["tags"] = new JsonArray(tags.Select(t => (JsonNode?)t).ToArray());
        return new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["id"] = NotebookCell.NewId(), ["metadata"] = metadata,
            ["outputs"] = new JsonArray(), ["source"] = JsonText.Lines(source),
        };
    }

    /// <summary>A markdown cell.</summary>
    public static JsonObject Markdown(string source) =>
        new() { ["cell_type"] = "markdown", ["id"] = NotebookCell.NewId(), ["metadata"] = new JsonObject(), ["source"] = JsonText.Lines(source) };

    /// <summary>A Polyglot C# notebook of <paramref name="cells"/>, as .ipynb text.</summary>
    public static string Notebook(params JsonObject[] cells) => JsonText.Write(new JsonObject
    {
        ["cells"] = new JsonArray(cells.Select(c => (JsonNode?)c).ToArray()),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["language_info"] = new JsonObject { ["name"] = "C#" },
            ["polyglot_notebook"] = new JsonObject
            {
                ["kernelInfo"] = new JsonObject
                {
                    ["defaultKernelName"] = "csharp",
                    ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                },
            },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }) + "\n";

    /// <summary>The text of an output: stream text or the given MIME type's data.</summary>
    public static string Text(JsonNode? output, string mime = "text/plain") =>
        output!["output_type"]!.GetValue<string>() switch
        {
            "stream" => JsonText.JoinLines(output["text"]),
            "error" => output["evalue"]!.GetValue<string>(),
            _ => JsonText.JoinLines(output["data"]![mime]),
        };
}
