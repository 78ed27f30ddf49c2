namespace Microsoft.DotNet.Interactive.Formatting;

/// <summary>PocketView's HTML tags (<c>using static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;</c>), each an empty
/// <see cref="PocketView"/> typed <c>dynamic</c>, so that <c>div[style: "…"](…)</c> binds at run time as in .NET Interactive.</summary>
public static class PocketViewTags
{
    /// <summary>&lt;a&gt;.</summary>
    public static dynamic a => new PocketView("a");

    /// <summary>&lt;abbr&gt;.</summary>
    public static dynamic abbr => new PocketView("abbr");

    /// <summary>&lt;b&gt;.</summary>
    public static dynamic b => new PocketView("b");

    /// <summary>&lt;blockquote&gt;.</summary>
    public static dynamic blockquote => new PocketView("blockquote");

    /// <summary>&lt;body&gt;.</summary>
    public static dynamic body => new PocketView("body");

    /// <summary>&lt;br&gt;.</summary>
    public static dynamic br => new PocketView("br");

    /// <summary>&lt;button&gt;.</summary>
    public static dynamic button => new PocketView("button");

    /// <summary>&lt;caption&gt;.</summary>
    public static dynamic caption => new PocketView("caption");

    /// <summary>&lt;center&gt;.</summary>
    public static dynamic center => new PocketView("center");

    /// <summary>&lt;code&gt;.</summary>
    public static dynamic code => new PocketView("code");

    /// <summary>&lt;col&gt;.</summary>
    public static dynamic col => new PocketView("col");

    /// <summary>&lt;colgroup&gt;.</summary>
    public static dynamic colgroup => new PocketView("colgroup");

    /// <summary>&lt;dd&gt;.</summary>
    public static dynamic dd => new PocketView("dd");

    /// <summary>&lt;details&gt;.</summary>
    public static dynamic details => new PocketView("details");

    /// <summary>&lt;div&gt;.</summary>
    public static dynamic div => new PocketView("div");

    /// <summary>&lt;dl&gt;.</summary>
    public static dynamic dl => new PocketView("dl");

    /// <summary>&lt;dt&gt;.</summary>
    public static dynamic dt => new PocketView("dt");

    /// <summary>&lt;em&gt;.</summary>
    public static dynamic em => new PocketView("em");

    /// <summary>&lt;figcaption&gt;.</summary>
    public static dynamic figcaption => new PocketView("figcaption");

    /// <summary>&lt;figure&gt;.</summary>
    public static dynamic figure => new PocketView("figure");

    /// <summary>&lt;footer&gt;.</summary>
    public static dynamic footer => new PocketView("footer");

    /// <summary>&lt;form&gt;.</summary>
    public static dynamic form => new PocketView("form");

    /// <summary>&lt;h1&gt;.</summary>
    public static dynamic h1 => new PocketView("h1");

    /// <summary>&lt;h2&gt;.</summary>
    public static dynamic h2 => new PocketView("h2");

    /// <summary>&lt;h3&gt;.</summary>
    public static dynamic h3 => new PocketView("h3");

    /// <summary>&lt;h4&gt;.</summary>
    public static dynamic h4 => new PocketView("h4");

    /// <summary>&lt;h5&gt;.</summary>
    public static dynamic h5 => new PocketView("h5");

    /// <summary>&lt;h6&gt;.</summary>
    public static dynamic h6 => new PocketView("h6");

    /// <summary>&lt;head&gt;.</summary>
    public static dynamic head => new PocketView("head");

    /// <summary>&lt;header&gt;.</summary>
    public static dynamic header => new PocketView("header");

    /// <summary>&lt;hr&gt;.</summary>
    public static dynamic hr => new PocketView("hr");

    /// <summary>&lt;html&gt;.</summary>
    public static dynamic html => new PocketView("html");

    /// <summary>&lt;i&gt;.</summary>
    public static dynamic i => new PocketView("i");

    /// <summary>&lt;iframe&gt;.</summary>
    public static dynamic iframe => new PocketView("iframe");

    /// <summary>&lt;img&gt;.</summary>
    public static dynamic img => new PocketView("img");

    /// <summary>&lt;input&gt;.</summary>
    public static dynamic input => new PocketView("input");

    /// <summary>&lt;label&gt;.</summary>
    public static dynamic label => new PocketView("label");

    /// <summary>&lt;legend&gt;.</summary>
    public static dynamic legend => new PocketView("legend");

    /// <summary>&lt;li&gt;.</summary>
    public static dynamic li => new PocketView("li");

    /// <summary>&lt;link&gt;.</summary>
    public static dynamic link => new PocketView("link");

    /// <summary>&lt;main&gt;.</summary>
    public static dynamic main => new PocketView("main");

    /// <summary>&lt;meta&gt;.</summary>
    public static dynamic meta => new PocketView("meta");

    /// <summary>&lt;nav&gt;.</summary>
    public static dynamic nav => new PocketView("nav");

    /// <summary>&lt;ol&gt;.</summary>
    public static dynamic ol => new PocketView("ol");

    /// <summary>&lt;optgroup&gt;.</summary>
    public static dynamic optgroup => new PocketView("optgroup");

    /// <summary>&lt;option&gt;.</summary>
    public static dynamic option => new PocketView("option");

    /// <summary>&lt;p&gt;.</summary>
    public static dynamic p => new PocketView("p");

    /// <summary>&lt;pre&gt;.</summary>
    public static dynamic pre => new PocketView("pre");

    /// <summary>&lt;progress&gt;.</summary>
    public static dynamic progress => new PocketView("progress");

    /// <summary>&lt;q&gt;.</summary>
    public static dynamic q => new PocketView("q");

    /// <summary>&lt;s&gt;.</summary>
    public static dynamic s => new PocketView("s");

    /// <summary>&lt;script&gt;.</summary>
    public static dynamic script => new PocketView("script");

    /// <summary>&lt;section&gt;.</summary>
    public static dynamic section => new PocketView("section");

    /// <summary>&lt;select&gt;.</summary>
    public static dynamic select => new PocketView("select");

    /// <summary>&lt;small&gt;.</summary>
    public static dynamic small => new PocketView("small");

    /// <summary>&lt;span&gt;.</summary>
    public static dynamic span => new PocketView("span");

    /// <summary>&lt;strong&gt;.</summary>
    public static dynamic strong => new PocketView("strong");

    /// <summary>&lt;style&gt;.</summary>
    public static dynamic style => new PocketView("style");

    /// <summary>&lt;sub&gt;.</summary>
    public static dynamic sub => new PocketView("sub");

    /// <summary>&lt;summary&gt;.</summary>
    public static dynamic summary => new PocketView("summary");

    /// <summary>&lt;sup&gt;.</summary>
    public static dynamic sup => new PocketView("sup");

    /// <summary>&lt;table&gt;.</summary>
    public static dynamic table => new PocketView("table");

    /// <summary>&lt;tbody&gt;.</summary>
    public static dynamic tbody => new PocketView("tbody");

    /// <summary>&lt;td&gt;.</summary>
    public static dynamic td => new PocketView("td");

    /// <summary>&lt;textarea&gt;.</summary>
    public static dynamic textarea => new PocketView("textarea");

    /// <summary>&lt;tfoot&gt;.</summary>
    public static dynamic tfoot => new PocketView("tfoot");

    /// <summary>&lt;th&gt;.</summary>
    public static dynamic th => new PocketView("th");

    /// <summary>&lt;thead&gt;.</summary>
    public static dynamic thead => new PocketView("thead");

    /// <summary>&lt;title&gt;.</summary>
    public static dynamic title => new PocketView("title");

    /// <summary>&lt;tr&gt;.</summary>
    public static dynamic tr => new PocketView("tr");

    /// <summary>&lt;u&gt;.</summary>
    public static dynamic u => new PocketView("u");

    /// <summary>&lt;ul&gt;.</summary>
    public static dynamic ul => new PocketView("ul");

    /// <summary>&lt;video&gt;.</summary>
    public static dynamic video => new PocketView("video");
    /// <summary>Text written into HTML unencoded.</summary>
    public static LossLab.Notebooks.Formatting.HtmlString Raw(string html) => new(html ?? "");
}
