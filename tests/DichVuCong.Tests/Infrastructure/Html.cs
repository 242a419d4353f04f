using AngleSharp;
using AngleSharp.Dom;

namespace DichVuCong.Tests.Infrastructure;

internal static class Html
{
    public static async Task<IDocument> ParseAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var context = BrowsingContext.New(Configuration.Default);
        return await context.OpenAsync(r => r.Content(html).Address(response.RequestMessage?.RequestUri?.ToString() ?? "http://localhost/"));
    }

    public static async Task<IDocument> GetPageAsync(this HttpClient client, string url, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return await ParseAsync(response);
    }

    public static string Text(this IElement? element) => element?.TextContent.Trim() ?? string.Empty;
}
