#pragma once

#include <mlflowcpp/entities.hpp>

#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace mlflowcpp::client {

// Every item of a paged listing, in order: asks `fetch_page(token)` for the page
// at `page_token` ("" the first), then for the page at each next_page_token it
// answers, until one answers none. `fetch_page` returns a Page<T>.
template <typename T, typename FetchPage>
std::vector<T> collect_all_pages(std::string page_token, FetchPage fetch_page) {
  std::vector<T> all;
  do {
    Page<T> page = fetch_page(page_token);
    all.insert(all.end(), std::make_move_iterator(page.items.begin()), std::make_move_iterator(page.items.end()));
    page_token = std::move(page.next_page_token);
  } while (!page_token.empty());
  return all;
}

}  // namespace mlflowcpp::client
