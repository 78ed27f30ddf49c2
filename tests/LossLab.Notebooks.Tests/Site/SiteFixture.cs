using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Tests.Site;

/// <summary>Builds small executed notebooks, as the engine writes them, for the site's tests.</summary>
internal static class SiteFixture
{
    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Notebooks.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Notebooks.sln not found above the test's folder.");
    }

    internal static JsonObject Markdown(string source) => new()
    {
        ["cell_type"] = "markdown", ["id"] = Guid.NewGuid().ToString("N")[..8], ["metadata"] = new JsonObject(),
        ["source"] = Lines(source),
    };

    internal static JsonObject Code(string source, int count, string status = "completed", string[]? tags = null, params JsonObject[] outputs)
    {
        var meta = new JsonObject
        {
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
            ["papermill"] = new JsonObject { ["status"] = status, ["duration"] = 0.1, ["exception"] = status == "failed" },
        };
        if (tags is not null) meta["tags"] = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray());
        return new JsonObject
        {
            ["cell_type"] = "code", ["id"] = Guid.NewGuid().ToString("N")[..8], ["execution_count"] = count, ["metadata"] = meta,
            ["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o).ToArray()), ["source"] = Lines(source),
        };
    }

    internal static JsonObject Stream(string text, string name = "stdout") =>
        new() { ["output_type"] = "stream", ["name"] = name, ["text"] = Lines(text) };

    internal static JsonObject Error(string ename, string evalue, params string[] traceback) => new()
    {
        ["output_type"] = "error", ["ename"] = ename, ["evalue"] = evalue,
        ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
    };

    internal static JsonObject Display(string mime, string content, JsonObject? metadata = null) => new()
    {
        ["output_type"] = "display_data", ["data"] = new JsonObject { [mime] = Lines(content) },
        ["metadata"] = metadata ?? new JsonObject(),
    };

    internal static JsonObject ClaimsOutput(params (string Id, string Verdict)[] claims)
    {
        var list = new JsonArray(claims.Select(c => (JsonNode)new JsonObject
        {
            ["id"] = c.Id, ["paper"] = "arXiv:0000.00000", ["claim"] = $"claim {c.Id}", ["expected"] = "x > 0",
            ["observed"] = "x = 1", ["kind"] = "effect",
            ["test"] = new JsonObject
            {
                ["statistic"] = "x", ["estimate"] = 1.0, ["interval"] = new JsonArray(c.Verdict == "inconclusive" ? -0.5 : 0.25, 1.75),
                ["level"] = 0.95, ["threshold"] = 0.0, ["direction"] = ">", ["n"] = 5, ["method"] = "paired t",
            },
            ["values"] = new JsonObject { ["x"] = 1.0 }, ["verdict"] = c.Verdict, ["scale"] = "default",
        }).ToArray());
        var html = "<table><tr><th>claim</th><th>verdict</th></tr>" +
                   string.Concat(claims.Select(c => $"<tr><td>{c.Id}</td><td>{c.Verdict}</td></tr>")) + "</table>";
        return Display("text/html", html, new JsonObject { ["losslab"] = new JsonObject { ["claims"] = list } });
    }

    internal static JsonObject Notebook(bool finished, params JsonObject[] cells) => new()
    {
        ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["language_info"] = new JsonObject { ["name"] = "C#" },
            ["papermill"] = new JsonObject
            {
                ["start_time"] = "2026-11-23T10:00:00Z", ["end_time"] = finished ? "2026-11-23T10:00:05Z" : null,
                ["duration"] = 5.0, ["exception"] = false,
                ["parameters"] = new JsonObject { ["Scale"] = "smoke" },
            },
            ["losslab"] = new JsonObject { ["scale"] = "smoke", ["device"] = "cpu", ["version"] = "0.1.0", ["commit"] = "abc1234" },
        },
        ["nbformat"] = 4, ["nbformat_minor"] = 5,
    };

    internal static void Write(string path, JsonObject notebook)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, notebook.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    static JsonArray Lines(string text)
    {
        var parts = text.Split('\n');
        var arr = new JsonArray();
        for (int i = 0; i < parts.Length; i++)
        {
            var line = i < parts.Length - 1 ? parts[i] + "\n" : parts[i];
            if (line.Length > 0) arr.Add(line);
        }
        return arr;
    }

    /// <summary>A chart fragment exactly as Plotly.NET renders it for a notebook output.</summary>
    internal static string ChartFragment(string name)
    {
        var chart = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: [1.0, 2.0, 3.0], y: [1.0, 4.0, 9.0], Name: name);
        return Plotly.NET.GenericChart.toChartHTML(chart);
    }

    /// <summary>A chart fragment as LossLab's formatter renders it (drawn into the div before its script).</summary>
    internal static string LossLabChartFragment(string name) =>
        LossLab.Notebooks.Formatting.PlotlyChartFormatter.ToHtml(
            Plotly.NET.CSharp.Chart.Line<double, double, string>(x: [1.0, 2.0, 3.0], y: [2.0, 3.0, 5.0], Name: name));

    /// <summary>A two-cluster suite of executed notebooks covering every kind of output the site renders, plus the
    /// untrusted-text cases. Returns the executed root and the source root.</summary>
    internal static (string Executed, string Sources) Suite(string root)
    {
        string executed = Path.Combine(root, "executed"), sources = Path.Combine(root, "notebooks");
        var untrusted = "<script>alert(1)</script>";
        var img = "<img src=x onerror=alert(1)>";
        var a = Notebook(true,
            Markdown("# Losses under one roof\n\nCircle and multi-similarity losses compared. Second sentence.\n\nThe loss is $L = \\log(1 + e^{x})$ and\n\n$$\\sum_i x_i^2$$\n\nSee [the other notebook](../imbalance/long-tail.ipynb#results) and [its section](#top)."),
            Code("#r \"nuget: TorchSharp, 0.107.0\"\nusing LossLab;", 1),
            Code("var Scale = \"smoke\";", 2, tags: ["parameters"]),
            Code("Console.WriteLine(\"" + untrusted + "\");", 3, "completed", null, Stream(untrusted + "\n" + img + "\n")),
            Code("\"" + img + "\"", 4, "completed", null, Display("text/plain", img)),
            Code("chart", 5, "completed", null, Display("text/html", ChartFragment("squares"))),
            Code("chart2", 6, "completed", null, Display("text/html", LossLabChartFragment("more squares"))),
            Code("claims", 7, "completed", null, ClaimsOutput(("a-held", "held"), ("a-failed", "failed"), ("a-notrun", "not-run"))));
        var b = Notebook(true,
            Markdown("# Long tail\n\nLDAM against cross-entropy."),
            Code("throw new Exception(\"" + untrusted + "\");", 1, "failed", ["raises-exception"],
                Error("System.Exception", untrusted, "System.Exception: " + untrusted, "   at Submission#1 in cell1.csx:line 1")),
            Code("claims", 2, "completed", null, ClaimsOutput(("b-held", "held"), ("b-inconclusive", "inconclusive"))));
        b["metadata"]!["papermill"]!["exception"] = false;
        b["cells"]![1]!["metadata"]!["papermill"]!["status"] = "completed";
        Write(Path.Combine(executed, "metric-learning", "losses.ipynb"), a);
        Write(Path.Combine(executed, "imbalance", "long-tail.ipynb"), b);
        Write(Path.Combine(sources, "metric-learning", "losses.ipynb"), a);
        return (executed, sources);
    }
}
