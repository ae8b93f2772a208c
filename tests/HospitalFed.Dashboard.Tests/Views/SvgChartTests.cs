using System.Xml.Linq;
using HospitalFed.Dashboard.Internal;

namespace HospitalFed.Dashboard.Tests.Views;

[TestFixture]
public sealed class SvgChartTests
{
    [Test]
    public void Line_ThreeRounds_OnePointPerRoundWithItsValueAndAnAccessibleLabel()
    {
        var html = SvgChart.Line("loss", [(1, 0.69), (2, 0.55), (3, 0.48)]);

        var svg = XElement.Parse(html).Elements().First(); // <figure><svg>
        XNamespace ns = "http://www.w3.org/2000/svg";
        var titles = svg.Descendants(ns + "circle").Select(c => c.Element(ns + "title")!.Value).ToList();
        Assert.That(titles, Is.EqualTo(new[] { "round 1: 0.69", "round 2: 0.55", "round 3: 0.48" }));
        Assert.That(svg.Attribute("role")!.Value, Is.EqualTo("img"));
        Assert.That(svg.Attribute("aria-label")!.Value, Does.Contain("round 2: 0.55"));
    }

    [Test]
    public void Line_LowerValue_DrawnLower()
    {
        var html = SvgChart.Line("auc", [(1, 0.9), (2, 0.6)]);

        XNamespace ns = "http://www.w3.org/2000/svg";
        var y = XElement.Parse(html).Descendants(ns + "circle").Select(c => double.Parse(c.Attribute("cy")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(y[1], Is.GreaterThan(y[0]), "SVG y grows downwards");
    }

    [Test]
    public void Line_NoFiniteValue_SaysSoInsteadOfAnEmptyChart() =>
        Assert.That(SvgChart.Line("loss", [(1, double.NaN)]), Does.Contain("No loss values yet"));
}
