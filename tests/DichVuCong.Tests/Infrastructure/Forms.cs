using System.Net;
using AngleSharp.Dom;

namespace DichVuCong.Tests.Infrastructure;

/// <summary>Fills and posts a page's form the way a browser would, antiforgery token included.</summary>
internal static class Forms
{
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, IDocument page, string formSelector, IDictionary<string, string> fields)
    {
        var form = page.QuerySelector(formSelector) ?? throw new InvalidOperationException($"No form {formSelector} on {page.Url}");
        var values = form.QuerySelectorAll("input[type=hidden]")
            .Where(i => i.GetAttribute("name") is not null)
            .ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? string.Empty);
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? new Uri(page.Url).PathAndQuery : action;
        using var content = new FormUrlEncodedContent(values);
        return await client.PostAsync(new Uri(target, UriKind.Relative), content);
    }

    public static async Task<IDocument> FollowAsync(this HttpClient client, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await client.GetPageAsync(response.Headers.Location!.OriginalString);
    }
}
