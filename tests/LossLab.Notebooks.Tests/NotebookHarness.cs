using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Execution;

namespace LossLab.Notebooks.Tests;

/// <summary>Runs test notebooks into a scratch folder and reads the executed copy back.</summary>
static class NotebookHarness
{
    /// <summary>The test data folder in the test output.</summary>
    public static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    /// <summary>A fresh scratch folder.</summary>
    public static string Scratch()
    {
        var dir = Path.Combine(Path.GetTempPath(), "losslab-tests", Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
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
}
