using System.Text.Json.Nodes;
using Deedle;
using LossLab.Experiments;
using LossLab.Notebooks.Formatting;
using TorchSharp;

namespace LossLab.Notebooks.Tests.Formatting;

[Collection("Engine")]
public class FormatterTests
{
    sealed record Run(string Optimizer, double Lr, int Steps);

    [Fact]
    public void A_sequence_of_records_is_an_index_value_table_of_object_trees_cut_at_the_list_limit()
    {
        // the real kernel's markup (TestData/real-kernel/display-collections.ipynb, first cell)
        var runs = Enumerable.Range(0, 23).Select(i => new Run(i % 2 == 0 ? "SGD" : "Adam<β>", 0.5 / (i + 1), 10 * i)).ToList();

        var html = Formatter.Format(runs)[Formatter.Html]!;

        Assert.StartsWith("<table><thead><tr><th><i>index</i></th><th>value</th></tr></thead><tbody><tr><td>0</td><td><details class=\"dni-treeview\"><summary>", html);
        Assert.Contains("<tr><td>1</td><td><details class=\"dni-treeview\"><summary><span class=\"dni-code-hint\"><code>Run { Optimizer = Adam&lt;β&gt;, Lr = 0.25, Steps = 10 }</code></span></summary>" +
                        "<div><table><thead><tr></tr></thead><tbody><tr><td>Optimizer</td><td><div class=\"dni-plaintext\"><pre>Adam&lt;β&gt;</pre></div></td></tr>", html);
        Assert.Equal(20, html.Split("<details class=").Length - 1);
        Assert.Contains("... (3 more)", html);
        Assert.EndsWith(InteractiveHtml.Style, html);
    }

    [Fact]
    public void Scalars_are_the_kernels_plain_text_block_in_HTML_and_strings_are_text_plain_only()
    {
        var bundle = Formatter.Format(2.5);
        Assert.Equal(["text/html", "text/plain"], bundle.Data.Select(p => p.Key));
        Assert.Equal("<div class=\"dni-plaintext\"><pre>2.5</pre></div>" + InteractiveHtml.Style, bundle[Formatter.Html]);
        Assert.Equal("2.5", bundle[Formatter.PlainText]);
        Assert.Equal("<null>", Formatter.Format(null)[Formatter.PlainText]);
        Assert.Equal("<div class=\"dni-plaintext\"><pre>&lt;null&gt;</pre></div>" + InteractiveHtml.Style, Formatter.Format(null)[Formatter.Html]);
        Assert.Equal(["text/plain"], Formatter.Format("x").Data.Select(p => p.Key));
        Assert.Equal("<span>2024-01-02 03:04:05Z</span>", Formatter.Format(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc))[Formatter.Html]);
    }

    [Fact]
    public void Registered_formatters_win_over_built_in_ones_including_open_generics_and_reset_restores_the_defaults()
    {
        try
        {
            Formatter.Register(typeof(List<>), (o, w) => w.Write($"<i>list of {((System.Collections.ICollection)o).Count}</i>"));
            Assert.Equal("<i>list of 2</i>", Formatter.Format(new List<int> { 1, 2 })[Formatter.Html]);
            Formatter.Register<List<int>>(l => "<b>ints</b>");
            Assert.Equal("<b>ints</b>", Formatter.Format(new List<int> { 1, 2 })[Formatter.Html]);
            Formatter.SetPreferredMimeTypesFor(typeof(Run), "text/plain");
            Assert.Equal(["text/plain"], Formatter.Format(new Run("SGD", 0.1, 1)).Data.Select(p => p.Key));
        }
        finally { Formatter.ResetToDefault(); }
        Assert.StartsWith("<div class=\"dni-plaintext\"><pre>[ 1, 2 ]</pre></div>", Formatter.Format(new List<int> { 1, 2 })[Formatter.Html]);
    }

    [Fact]
    public void A_Deedle_frame_is_an_HTML_table_of_its_row_keys_and_values()
    {
        var frame = Frame.FromRecords(new[] { new Run("SGD", 0.1, 100), new Run("Adam", 0.001, 200) });

        var html = Formatter.Format(frame)[Formatter.Html]!;

        Assert.Equal("<table class=\"deedle-frame\"><thead><tr><th></th><th>Optimizer</th><th>Lr</th><th>Steps</th></tr></thead><tbody>" +
                     "<tr><th>0</th><td>SGD</td><td>0.1</td><td>100</td></tr><tr><th>1</th><td>Adam</td><td>0.001</td><td>200</td></tr></tbody></table>", html);
        Assert.Contains("Adam", Formatter.Format(frame)[Formatter.PlainText]);
    }

    [Fact]
    public void A_TorchSharp_tensor_is_formatted_by_its_own_duck_typed_formatter_source()
    {
        using var t = torch.tensor(new[] { 1.5f, -2.25f });

        var bundle = Formatter.Format(t);

        Assert.True(TypeFormatterSourceFormatter.Has(t.GetType()));
        Assert.Equal(t.ToString(torch.TensorStringStyle), bundle[Formatter.PlainText]);
        Assert.Contains("-2.25", bundle[Formatter.Html]);
        Assert.StartsWith("<div><pre>", bundle[Formatter.Html]);
    }

    [Fact]
    public void Claims_display_as_a_table_and_record_the_claims_metadata_exactly()
    {
        var claims = new Claims("default");
        // differences 4, 6, 8 points: mean 6, sd 2, t(0.975, 2) = 4.302653 → 6 ± 4.968 = [1.032, 10.968]
        claims.Paired("a-beats-b", "arXiv:1906.07413", "A beats <B>", [0.74, 0.78, 0.82], [0.70, 0.72, 0.74],
            statistic: "paired difference (points)", expect: Expect.Above(0).InPoints());
        claims.Agreement("e-matches", "arXiv:2404.10102", "E matches", 1.8172, 1.8169, 0.01);
        claims.NotRun("paper-size", "arXiv:1906.07413", "needs paper scale", "error ≤ 24.5%", "needs CIFAR-10 and a GPU");

        var bundle = Formatter.Format(claims);

        var metadata = bundle.Metadata!["losslab"]!["claims"]!.AsArray();
        Assert.Equal(3, metadata.Count);
        var effect = metadata[0]!;
        Assert.Equal("effect", effect["kind"]!.GetValue<string>());
        Assert.Equal("held", effect["verdict"]!.GetValue<string>());
        Assert.Equal("> 0 points, the whole 95 % interval of the paired difference (points)", effect["expected"]!.GetValue<string>());
        var test = effect["test"]!;
        Assert.Equal(6.0, test["estimate"]!.GetValue<double>(), 9);
        Assert.Equal(6 - 4.302653 * 2 / Math.Sqrt(3), test["interval"]![0]!.GetValue<double>(), 5);
        Assert.Equal(6 + 4.302653 * 2 / Math.Sqrt(3), test["interval"]![1]!.GetValue<double>(), 5);
        Assert.Equal(3, test["n"]!.GetValue<int>());
        Assert.Equal(">", test["direction"]!.GetValue<string>());
        Assert.Equal("paired t", test["method"]!.GetValue<string>());
        Assert.Equal(0.0, test["threshold"]!.GetValue<double>());
        Assert.Equal(0.95, test["level"]!.GetValue<double>());
        var agreement = metadata[1]!;
        Assert.Equal("agreement", agreement["kind"]!.GetValue<string>());
        Assert.Equal(1.8169, agreement["reference"]!.GetValue<double>());
        Assert.Equal(0.01, agreement["tolerance"]!.GetValue<double>());
        Assert.Equal(0.0003 / 1.8169, agreement["relative_error"]!.GetValue<double>(), 9);
        Assert.Equal("held", agreement["verdict"]!.GetValue<string>());
        Assert.Equal("not-run", metadata[2]!["verdict"]!.GetValue<string>());
        Assert.Equal("needs CIFAR-10 and a GPU", metadata[2]!["reason"]!.GetValue<string>());
        Assert.Contains("A beats &lt;B&gt;", bundle[Formatter.Html]);
        Assert.Contains("2 held, 0 failed, 0 inconclusive, 1 not run", bundle[Formatter.Html]);
        Assert.Equal(claims.ToString(), bundle[Formatter.PlainText]);
    }

    [Fact]
    public void A_Plotly_chart_is_a_fragment_that_draws_with_the_pages_plotly_or_loads_it_once()
    {
        var chart = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { 0.0, 1.0 }, y: new[] { 2.0, 3.5 }, Name: "loss");

        var html = Formatter.Format(chart)[Formatter.Html]!;

        Assert.Matches("^<div id=\"plotly-[0-9a-f]{12}\" class=\"losslab-plotly\"></div>", html);
        Assert.Contains("\"y\":[2.0,3.5]", html);
        Assert.Contains("if (window.Plotly) { draw(window.Plotly); return; }", html);
        Assert.Contains(PlotlyChartFormatter.PlotlyJsCdn, html);
        Assert.True(html.Length < 100_000, $"the fragment holds plotly.js ({html.Length} characters)");
        // the same chart gives the same fragment (no random ids), and a different chart another id
        Assert.Equal(html, Formatter.Format(chart)[Formatter.Html]);
        var other = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { 0.0, 1.0 }, y: new[] { 2.0, 3.6 }, Name: "loss");
        Assert.NotEqual(html[..30], Formatter.Format(other)[Formatter.Html]![..30]);
    }
}
